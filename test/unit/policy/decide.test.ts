import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/exit-codes.js';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import type { HostEffect } from '../../../src/pacman/location.js';
import { decide, installReasonTargets, isRedirectable, redirectKind, type Engagement } from '../../../src/policy/decide.js';
import { refusalText } from '../../../src/policy/refusal.js';

const free: Engagement = { known: true, merged: [], locked: false, dbPath: '/var/lib/pacman' };
const merged: Engagement = { known: true, merged: [{ hierarchy: '/usr', extensions: ['devtools'], since: new Date('2026-11-22T10:00:00Z') }], locked: true, dbPath: '/var/lib/pacman' };
const lockedOnly: Engagement = { known: true, merged: [], locked: true, dbPath: '/var/lib/pacman' };
const unknown: Engagement = { known: false, reason: 'cannot read /proc/self/mountinfo: EACCES' };

const verdictOf = (line: string, engagement: Engagement, host = true, mode: 'refuse' | 'redirect' = 'refuse') => {
  const verdict = decide(parsePacmanCommand(line.split(' ')), host, engagement, mode);
  return `${verdict.decision} ${verdict.exitCode}`;
};

describe('decide', () => {
  it.each([
    ['-S guardtest', free, true, 'allow 0'],
    ['-S guardtest', merged, true, 'refuse 3'],
    ['-S guardtest', lockedOnly, true, 'refuse 3'],
    ['-S guardtest', unknown, true, 'refuse 4'],
    ['-Syu', merged, true, 'refuse 3'],
    ['-R guardtest', merged, true, 'refuse 3'],
    ['-Q', merged, true, 'allow 0'],
    ['-Q', unknown, true, 'allow 0'],
    ['-Ss guard', unknown, true, 'allow 0'],
    ['-S guardtest', merged, false, 'allow 0'],
    ['-Uy x', merged, true, 'allow 0'],
    ['-h', merged, true, 'allow 0'],
  ] as const)('pacman %s (%j, host %s) → %s', (line, engagement, host, expected) => {
    expect(verdictOf(line, engagement, host)).toBe(expected);
  });

  it.each([
    ['-S guardtest', 'redirect 0'],
    ['-U ./x.pkg.tar.zst', 'redirect 0'],
    ['-Syu', 'redirect 0'],
    ['-R guardtest', 'redirect 0'],
    ['-Sw guardtest', 'refuse 3'],
    ['-Sy', 'refuse 3'],
    ['-Sc', 'refuse 3'],
    ['-Rp guardtest', 'allow 0'],
  ])('under the redirect policy, pacman %s → %s', (line, expected) => {
    expect(verdictOf(line, merged, true, 'redirect')).toBe(expected);
  });

  it.each([
    ['-S x', 'extend'],
    ['-U ./x.pkg.tar.zst', 'extend'],
    ['-Syu', 'update'],
    ['-Su', 'update'],
    ['-Syu x', 'update'],
    ['-R x', 'remove'],
    ['-Rns x', 'remove'],
    ['-Sy x', undefined],
    ['-Syuw', undefined],
    ['-R --dbonly x', undefined],
    ['-Sc', undefined],
    ['-D --asdeps x', undefined],
  ] as const)('pacman %s is redirected to %s', (line, expected) => {
    expect(redirectKind(parsePacmanCommand(line.split(' ')))).toBe(expected);
  });

  it('only installs of targets are redirectable', () => {
    expect(isRedirectable(parsePacmanCommand(['-S', 'x']))).toBe(true);
    expect(isRedirectable(parsePacmanCommand(['-S', '--dbonly', 'x']))).toBe(false);
    expect(isRedirectable(parsePacmanCommand(['-Su']))).toBe(false);
  });

  it.each([
    ['-D --asexplicit a b', ['a', 'b']],
    ['-Dq --asdeps a', ['a']],
    ['--database --asdeps --config /etc/pacman.conf a', ['a']],
    ['-D --asdeps', undefined],
    ['-Dk', undefined],
    ['-Dk a', undefined],
    ['-D a', undefined],
    ['-D --asdeps -', undefined],
    ['-D --asdeps --asexplicit a', undefined],
    ['-S --asdeps a', undefined],
    ['-R a', undefined],
  ])('pacman %s only sets the install reason of %j', (line, expected) => {
    expect(installReasonTargets(parsePacmanCommand(line.split(' ')))).toEqual(expected);
  });
});

describe('what the line does to this system decides, not the paths it names', () => {
  const readOnlyUsr: Engagement = { known: true, merged: [], locked: false, dbPath: '/var/lib/pacman', readOnly: [{ hierarchy: '/usr', description: '/usr is a read-only image' }] };
  const effect = (locksDatabase: boolean, writesDatabase: boolean, writesFiles: boolean, otherDatabase?: string): HostEffect =>
    ({ locksDatabase, writesDatabase, writesFiles, ...(otherDatabase ? { otherDatabase } : {}) });
  const privateSync = effect(false, false, false, '/tmp/checkup-db-1000');
  const rows: readonly (readonly [line: string, onHost: HostEffect, engagement: Engagement, mode: 'refuse' | 'redirect', expected: string, why: string])[] = [
    ['-Sy', privateSync, merged, 'refuse', 'allow 0', 'checkupdates: only its private sync/'],
    ['-Sy', privateSync, merged, 'redirect', 'allow 0', ''],
    ['-S x', effect(false, false, true), merged, 'refuse', 'refuse 3', 'a private --dbpath still installs into this root'],
    ['-S x', effect(false, false, true), merged, 'redirect', 'refuse 3', 'and is no request for guard extend'],
    ['-S x', effect(false, false, true), free, 'refuse', 'allow 0', 'nothing engaged'],
    ['-S x', effect(false, false, true), readOnlyUsr, 'refuse', 'refuse 3', 'files into a read-only image'],
    ['-S x', effect(true, true, false), readOnlyUsr, 'refuse', 'allow 0', '--root elsewhere with this database: no files into the image'],
    ['-D --asdeps x', effect(false, true, false), lockedOnly, 'refuse', 'refuse 3', 'a private local/ that is this system\'s'],
    ['-S x', effect(true, true, true), merged, 'redirect', 'redirect 0', ''],
  ];
  it.each(rows)('pacman %s with %j on %j under %s → %s (%s)', (line, onHost, engagement, mode, expected) => {
    const verdict = decide(parsePacmanCommand(line.split(' ')), onHost, engagement, mode);
    expect(`${verdict.decision} ${verdict.exitCode}`).toBe(expected);
  });

  it('says which database an allowed line writes instead', () => {
    expect(decide(parsePacmanCommand(['-Sy']), privateSync, merged).reason).toMatch(/ locks and writes only \/tmp\/checkup-db-1000, not this system's database or root$/);
  });
});

describe('refusal text', () => {
  it('says what, why, since when, and the commands that proceed', () => {
    const command = parsePacmanCommand(['-S', 'guardtest']);
    const text = refusalText(decide(command, true, merged), merged, ['-S', 'guardtest'], false);
    expect(text.message).toBe("refusing 'pacman -S guardtest' (installing packages): system extensions are merged, so pacman would change the image under them");
    expect(text.details).toEqual([
      '  /usr: devtools (merged since 2026-11-22T10:00:00+0000)',
      '  /var/lib/pacman: read-only (locked)',
      ":: To change the base system, run it in guard update's maintenance window:",
      '    sudo guard update -S guardtest',
    ]);
  });

  it('quotes arguments so the suggested command can be pasted', () => {
    const args = ['-S', "it's", 'a b'];
    const text = refusalText(decide(parsePacmanCommand(args), true, lockedOnly), lockedOnly, args, true);
    expect(text.message).toContain(`'pacman -S 'it'\\''s' 'a b''`);
    expect(text.details).toContain(`    pacman -S 'it'\\''s' 'a b'`);
    expect(text.message).toContain("pacman's database is locked read-only");
  });

  it('fails closed with the reason and where to look', () => {
    const text = refusalText(decide(parsePacmanCommand(['-Syu']), true, unknown), unknown, ['-Syu'], true);
    expect(text.message).toBe("refusing 'pacman -Syu' (upgrading the system): cannot tell whether system extensions are merged or the database is locked: cannot read /proc/self/mountinfo: EACCES");
    expect(text.details.at(-2)).toBe('    guard status');
  });
});

it('exit codes are distinct from pacman\'s 1', () => {
  expect([ExitCode.Refused, ExitCode.StateUnknown]).not.toContain(1);
});
