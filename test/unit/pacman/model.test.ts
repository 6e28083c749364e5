import { describe, expect, it } from 'vitest';
import { parsePacmanCommand, withStdinTargets } from '../../../src/pacman/model.js';
import type { PacmanVariant } from '../../../src/pacman/options.js';
import { EDGE_CASES } from '../../support/pacman-edge-cases.js';
import { DISABLE_SANDBOX_ABBREVIATIONS, PACMAN7_EDGE_CASES } from '../../support/pacman7-edge-cases.js';

function verdict(line: string | readonly string[], variant: PacmanVariant = '6.0', posixlyCorrect = false): string {
  const args = typeof line === 'string' ? line.split(' ').filter(Boolean) : line;
  const command = parsePacmanCommand(args, { variant, posixlyCorrect });
  switch (command.outcome) {
    case 'rejected':
      return `error: ${command.rejection?.message}`;
    case 'run':
      return command.needsLock ? 'lock' : 'read';
    default:
      return command.outcome;
  }
}


describe('pacman command-line model (pacman 6.0.2)', () => {
  it.each(EDGE_CASES)('%s → %s', (line, expected) => {
    expect(verdict(line)).toBe(expected);
  });
});

describe('where pacman 7 differs (src/pacman/pacman.c of 7.0.0, 7.1.0 and master)', () => {
  it.each(PACMAN7_EDGE_CASES)('%s on %s → %s', (line, variant, expected) => {
    expect(verdict(line.split(' '), variant)).toBe(expected);
  });
});

describe('the 7.1.0 tag and 7.1.0 with 2df7c407 read --disable-s… differently', () => {
  it.each(DISABLE_SANDBOX_ABBREVIATIONS)('%s: the tag locks, 2df7c407 calls it ambiguous', (line) => {
    expect(verdict(line, '7.1.0')).toBe('lock');
    expect(verdict(line, '7.1.0+2df7c407')).toMatch(/^error: option '--disable-s[a-z]*' is ambiguous$/);
  });
});

describe('POSIXLY_CORRECT', () => {
  it.each([
    ['-S guardtest -y', false, 'lock', ['guardtest']],
    ['-S guardtest -y', true, 'lock', ['guardtest', '-y']],
    ['-Ss guard -y', false, 'lock', ['guard']],
    ['-Ss guard -y', true, 'read', ['guard', '-y']],
    ['guardtest -S', true, 'error: no operation specified (use -h for help)', ['guardtest', '-S']],
  ] as const)('%s (POSIXLY_CORRECT=%s) → %s', (line, posixlyCorrect, expected, targets) => {
    expect(verdict(line, '6.0', posixlyCorrect)).toBe(expected);
    expect(parsePacmanCommand(line.split(' '), { variant: '6.0', posixlyCorrect }).targets).toEqual(targets);
  });
});

describe('what the model reports besides the verdict', () => {
  it('names the root, database, config and sysroot the command acts on (the last one given wins)', () => {
    const command = parsePacmanCommand(['-S', '--root', '/mnt', '-r', '/mnt2', '--dbpath=/tmp/db', '--config', '/x.conf', '--sysroot', '/s', 'pkg']);
    expect(command.paths).toEqual({ root: '/mnt2', dbPath: '/tmp/db', config: '/x.conf', sysroot: '/s' });
  });

  it('counts repeated flags as pacman does', () => {
    const command = parsePacmanCommand(['-Syyuu']);
    expect(command.flags.get('refresh')).toBe(2);
    expect(command.flags.get('sysupgrade')).toBe(2);
  });

  it('splits list options on commas, dropping empty items like strtok', () => {
    const command = parsePacmanCommand(['-S', '--ignore', 'a,,b', '--ignore=c', 'pkg']);
    expect(command.values.get('ignore')).toEqual(['a', 'b', 'c']);
  });

  it('marks a "-" target as reading targets from stdin', () => {
    expect(parsePacmanCommand(['-S', '-']).readsTargetsFromStdin).toBe(true);
    expect(parsePacmanCommand(['-S', 'x']).readsTargetsFromStdin).toBe(false);
  });

  it.each([
    [['-'], 'a\nb\n', ['a', 'b']],
    [['x', '-', 'y'], 'a\n', ['x', 'y', 'a']],
    [['-'], 'a b\n\n\nc', ['a b', 'c']],
    [['-'], 'a\r\n', ['a\r']],
    [['-', '-'], 'a\n', ['-', 'a']],
    [['-'], '', []],
    [['-'], '\n\n', []],
  ])('targets %j with stdin %j are %j (one per non-empty line, as pacman reads them)', (targets, stdin, expected) => {
    expect(withStdinTargets(targets, stdin)).toEqual(expected);
  });

  it.each([
    ['-Q', false],
    ['-Ss x', false],
    ['-S x', true],
    ['-Sp x', false],
    ['-Sy', true],
    ['-Dk', false],
    ['-D --asdeps x', true],
    ['-Fy', true],
    ['-F x', false],
    ['-Rp x', false],
  ] as const)('needsRoot(%s) = %s', (line, expected) => {
    expect(parsePacmanCommand(line.split(' ')).needsRoot).toBe(expected);
  });

  it('in pacman 6.0, --sysroot needs root for any operation', () => {
    expect(parsePacmanCommand(['-Q', '--sysroot', '/'], { variant: '6.0' }).needsRoot).toBe(true);
    expect(parsePacmanCommand(['-Q', '--sysroot', '/'], { variant: '7.1.0' }).needsRoot).toBe(false);
  });

  it('handles 10,000 targets', () => {
    const targets = Array.from({ length: 10_000 }, (_, index) => `package-${index}`);
    const command = parsePacmanCommand(['-S', ...targets]);
    expect(command.targets).toHaveLength(10_000);
    expect(command.needsLock).toBe(true);
  });
});

describe('the parts of the database a line writes (docs/sysroot.md)', () => {
  it.each([
    ['-Sy', ['sync']],
    ['-Syy', ['sync']],
    ['-Fy', ['sync']],
    ['-Sc', []],
    ['-Sw guardtest', []],
    ['-Syw guardtest', ['sync']],
    ['-S guardtest', ['local']],
    ['-Syu', ['sync', 'local']],
    ['-S --dbonly guardtest', ['local']],
    ['-Sp guardtest', []],
    ['-Sp -y guardtest', ['sync']],
    ['-U x.pkg.tar.zst', ['local']],
    ['-R guardtest-dep', ['local']],
    ['-D --asdeps guardtest-dep', ['local']],
    ['-Qu', []],
    ['-Dk', []],
  ] as const)('pacman %s writes %j', (line, parts) => {
    expect(parsePacmanCommand(line.split(' ')).writesDatabase).toEqual(parts);
  });
});
