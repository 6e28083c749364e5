import { describe, expect, it } from 'vitest';
import { recordedArgv, pacmanLogLine } from '../../../src/audit/entry.js';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import { decide, type Engagement } from '../../../src/policy/decide.js';
import { refusalText } from '../../../src/policy/refusal.js';
import { SHOWN_ARGUMENTS, count, shownWords } from '../../../src/policy/target-list.js';

const merged: Engagement = { known: true, merged: [{ hierarchy: '/usr', extensions: ['devtools'], since: new Date('2026-11-22T10:00:00Z') }], locked: true, dbPath: '/var/lib/pacman' };
const targets = Array.from({ length: 100_000 }, (_, index) => `pkg${index}`);

describe('long target lists', () => {
  it.each([
    [0, ''],
    [3, 'a0 a1 a2'],
    [SHOWN_ARGUMENTS, Array.from({ length: SHOWN_ARGUMENTS }, (_, index) => `a${index}`).join(' ')],
    [SHOWN_ARGUMENTS + 1, `${Array.from({ length: SHOWN_ARGUMENTS }, (_, index) => `a${index}`).join(' ')} … and 1 more`],
  ])('%i words are shown as %j', (length, expected) => {
    expect(shownWords(Array.from({ length }, (_, index) => `a${index}`), (word) => word)).toBe(expected);
  });

  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1_000, '1,000'],
    [99_950, '99,950'],
    [100_000, '100,000'],
    [1_234_567, '1,234,567'],
    [-1_234, '-1,234'],
  ])('counts %d as %s, with thousands separators whatever the locale', (value, shown) => expect(count(value)).toBe(shown));

  it('a refusal of 100,000 targets shows them once, shortened, and stays short', () => {
    const args = ['-S', ...targets];
    const text = refusalText(decide(parsePacmanCommand(args), true, merged), merged, args, false, { extend: targets });
    const all = [text.message, ...text.details].join('\n');
    expect(text.message).toMatch(new RegExp(`^refusing 'pacman -S pkg0 pkg1 .* pkg${SHOWN_ARGUMENTS - 2} … and ${count(100_001 - SHOWN_ARGUMENTS)} more' \\(installing packages\\): `));
    expect(all.match(/pkg0 /g)).toHaveLength(1);
    expect(all).toContain('    sudo guard update … (the same 100,001 arguments)');
    expect(all).toContain('    sudo guard extend … (the same 100,000 targets)');
    expect(all.length).toBeLessThan(4_000);
  });

  it('a short one is still pasteable, whole', () => {
    const text = refusalText(decide(parsePacmanCommand(['-S', 'a', 'b']), true, merged), merged, ['-S', 'a', 'b'], true, { extend: ['a', 'b'] });
    expect(text.details).toContain('    guard update -S a b');
    expect(text.details).toContain('    guard extend a b');
  });

  it('the audit line records the first words, the count and a sha256 of the whole list', () => {
    const argv = ['pacman', '-S', ...targets];
    const recorded = recordedArgv(argv);
    expect(recorded).toMatch(new RegExp(`^pacman -S pkg0 .* … and ${count(argv.length - SHOWN_ARGUMENTS)} more \\(100,002 arguments, sha256 [0-9a-f]{64}\\)$`));
    // The hash identifies the list: one target changed, another hash.
    expect(recordedArgv([...argv.slice(0, -1), 'other'])).not.toBe(recorded);
    const line = pacmanLogLine({ time: new Date(), uid: 0, argv, event: 'refused', reason: 'merged' });
    expect(line.length).toBeLessThan(1_000);
    expect(recordedArgv(['pacman', '-S', 'a b'])).toBe('pacman -S "a b"');
  });
});
