/**
 * The read-only image in the decision, and the advice of a refusal in every
 * state, word for word: each names a next command that is true there.
 */
import { describe, expect, it } from 'vitest';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import { decide, type Engagement } from '../../../src/policy/decide.js';
import { refusalText } from '../../../src/policy/refusal.js';

const dbPath = '/var/lib/pacman';
const usrReadOnly = [{ hierarchy: '/usr', description: '/usr is mounted read-only' }];
const sample = [{ hierarchy: '/usr', extensions: ['devtools'] }];
const states: Record<string, Engagement> = {
  free: { known: true, merged: [], locked: false, dbPath },
  readOnly: { known: true, merged: [], locked: false, dbPath, readOnly: usrReadOnly },
  lockedOnly: { known: true, merged: [], locked: true, dbPath },
  lockedReadOnly: { known: true, merged: [], locked: true, dbPath, readOnly: usrReadOnly },
  merged: { known: true, merged: sample, locked: true, dbPath, readOnly: usrReadOnly },
  updating: { known: true, merged: [], locked: false, dbPath, readOnly: usrReadOnly, update: { pid: 42, started: '2026-12-01T10:00:00.000Z', running: true } },
  interrupted: { known: true, merged: [], locked: false, dbPath, readOnly: usrReadOnly, update: { pid: 42, started: '2026-12-01T10:00:00.000Z', running: false } },
  unknown: { known: false, reason: 'cannot read /proc/self/mountinfo: EACCES' },
};

const verdict = (line: string, state: keyof typeof states) => {
  const result = decide(parsePacmanCommand(line.split(' ')), true, states[state]!);
  return `${result.decision} ${result.exitCode}${result.next ? ` ${result.next}` : ''}`;
};

describe('a read-only image', () => {
  it.each([
    // Commands that write package files are refused, whatever the lock says.
    ['-S guardtest', 'readOnly', 'refuse 3 update'],
    ['-Syu', 'readOnly', 'refuse 3 update'],
    ['-Su', 'readOnly', 'refuse 3 update'],
    ['-R guardtest', 'readOnly', 'refuse 3 update'],
    ['-U ./guardtest-1.0-1-any.pkg.tar.zst', 'readOnly', 'refuse 3 update'],
    // Commands that touch only /var are not.
    ['-Sy', 'readOnly', 'allow 0'],
    ['-Syw guardtest', 'readOnly', 'allow 0'],
    ['-Sw guardtest', 'readOnly', 'allow 0'],
    ['-Sc', 'readOnly', 'allow 0'],
    ['-Scc', 'readOnly', 'allow 0'],
    ['-D --asdeps guardtest', 'readOnly', 'allow 0'],
    ['-Fy', 'readOnly', 'allow 0'],
    ['-S --dbonly guardtest', 'readOnly', 'allow 0'],
    ['-R --dbonly guardtest', 'readOnly', 'allow 0'],
    ['-Sp guardtest', 'readOnly', 'allow 0'],
    ['-Q', 'readOnly', 'allow 0'],
    // Locked as well: only the lock stands in the way of /var-only commands.
    ['-Sy', 'lockedReadOnly', 'refuse 3 unlock'],
    ['-S guardtest', 'lockedReadOnly', 'refuse 3 update'],
    ['-S guardtest', 'lockedOnly', 'refuse 3 unlock'],
    ['-Sy', 'merged', 'refuse 3 update'],
    ['-S guardtest', 'free', 'allow 0'],
    // An open maintenance window refuses every change but its own.
    ['-Sy', 'updating', 'refuse 3 wait-for-update'],
    ['-S guardtest', 'interrupted', 'refuse 3 finish-update'],
    ['-Q', 'interrupted', 'allow 0'],
    ['-S guardtest', 'unknown', 'refuse 4 inspect'],
  ] as const)('pacman %s (%s) → %s', (line, state, expected) => {
    expect(verdict(line, state)).toBe(expected);
  });
});

describe('the advice in every state', () => {
  const text = (args: string[], state: keyof typeof states, asRoot = false) => {
    const engagement = states[state]!;
    const result = refusalText(decide(parsePacmanCommand(args), true, engagement), engagement, args, asRoot);
    return [`error: ${result.message}`, ...result.details].join('\n');
  };

  it.each([
    ['merged', ['-S', 'guardtest'], [
      "error: refusing 'pacman -S guardtest' (installing packages): system extensions are merged, so pacman would change the image under them",
      '  /usr: devtools',
      '  /var/lib/pacman: read-only (locked)',
      '  /usr is mounted read-only',
      ":: To change the base system, run it in guard update's maintenance window:",
      '    sudo guard update -S guardtest',
    ]],
    ['lockedOnly', ['-Sy'], [
      "error: refusing 'pacman -Sy' (synchronizing the package databases): pacman's database is locked read-only",
      '  /var/lib/pacman: read-only (locked)',
      ':: Nothing is merged: unlock the database, run it, and lock it again:',
      '    sudo guard unlock',
      '    sudo pacman -Sy',
      '    sudo guard lock',
    ]],
    ['lockedReadOnly', ['-Syu'], [
      "error: refusing 'pacman -Syu' (upgrading the system): /usr is mounted read-only, so pacman cannot write package files there",
      '  /var/lib/pacman: read-only (locked)',
      '  /usr is mounted read-only',
      ":: To change the base system, run it in guard update's maintenance window:",
      '    sudo guard update -Syu',
    ]],
    ['readOnly', ['-R', 'guardtest'], [
      "error: refusing 'pacman -R guardtest' (removing packages): /usr is mounted read-only, so pacman cannot write package files there",
      '  /usr is mounted read-only',
      ":: To change the base system, run it in guard update's maintenance window:",
      '    sudo guard update -R guardtest',
    ]],
    ['updating', ['-S', 'guardtest'], [
      "error: refusing 'pacman -S guardtest' (installing packages): guard update (pid 42) is changing the base system",
      ':: Let it finish, then run this again; see what it does with:',
      '    guard status',
    ]],
    ['interrupted', ['-S', 'guardtest'], [
      "error: refusing 'pacman -S guardtest' (installing packages): a guard update (pid 42, started 2026-12-01T10:00:00+0000) was interrupted before it put the system back",
      ':: Finish it first: it puts the lock and the merged extensions back as they were:',
      '    sudo guard update --finish',
    ]],
    ['unknown', ['-S', 'guardtest'], [
      "error: refusing 'pacman -S guardtest' (installing packages): cannot tell whether system extensions are merged or the database is locked: cannot read /proc/self/mountinfo: EACCES",
      '  pacman-guard refuses changes when it cannot tell the state of the system.',
      ':: Find out what is wrong with:',
      '    guard status',
      '    guard doctor',
    ]],
  ] as const)('%s: pacman %j', (state, args, expected) => {
    expect(text([...args], state)).toBe(expected.join('\n'));
  });

  it('drops sudo for root', () => {
    expect(text(['-S', 'guardtest'], 'readOnly', true)).toContain('\n    guard update -S guardtest');
  });
});

describe('a refusal with the lock forced off', () => {
  it('says the lock is gone, and the command that puts it back', () => {
    const forcedOff: Engagement = { known: true, merged: sample, locked: false, dbPath };
    const command = parsePacmanCommand(['-S', 'guardtest']);
    const text = refusalText(decide(command, true, forcedOff), forcedOff, ['-S', 'guardtest'], false);
    expect(text.details).toContain('  /var/lib/pacman: writable: the lock is gone (sudo guard settle puts it back)');
    const locked = refusalText(decide(command, true, states.merged!), states.merged!, ['-S', 'guardtest'], false);
    expect(locked.details.join('\n')).not.toContain('the lock is gone');
  });
});
