/**
 * `guard status --short`: one line per state, naming the command that mends
 * what is wrong; the exit code stays statusDocument's.
 */
import { describe, expect, it } from 'vitest';
import { shortStatus, type StatusDocument } from '../../../src/cli/commands/status.js';

const base: StatusDocument = {
  engaged: false, merged: false, locked: false, readOnly: [], image: [], update: null, hierarchies: [],
  lock: { dbPath: '/var/lib/pacman', locked: false, selfBinds: 0, remountedReadWrite: false },
  view: null, transaction: { state: 'none', lockFile: '/var/lib/pacman/db.lck', pids: [] }, var: [], problems: [], exitCode: 0,
};
const merged = (...extensions: string[]) => [{ hierarchy: '/usr', kind: 'sysext', extensions, since: null, mutable: false, confirmed: true }];

describe('guard status --short', () => {
  it.each([
    ['disengaged', base, 'disengaged: nothing merged, unlocked'],
    ['engaged', { ...base, engaged: true, merged: true, locked: true, hierarchies: merged('a', 'b', 'c') }, 'engaged: 3 extensions merged, locked'],
    ['one extension on a read-only /usr', { ...base, engaged: true, merged: true, locked: true, readOnly: ['/usr'], hierarchies: merged('a') }, 'engaged: 1 extension merged, locked, /usr read-only'],
    ['merged, unlocked', { ...base, engaged: true, merged: true, locked: false, hierarchies: merged('a'), problems: ['x'] }, 'merged, unlocked: guard settle; 1 problem: guard status'],
    ['interrupted update', { ...base, engaged: true, update: { state: 'interrupted', pid: 42, started: '2026-12-01T10:00:00.000Z', phase: 'running pacman', args: ['-Syu'] } }, 'update interrupted: guard update --finish'],
    ['running update', { ...base, engaged: true, update: { state: 'running', pid: 42, started: '2026-12-01T10:00:00.000Z', phase: 'running pacman', args: ['-Syu'] } }, 'update running (pid 42): running pacman'],
    ['unknown', { ...base, engaged: null, merged: null, problems: ['cannot read /proc/self/mountinfo: EACCES'] }, 'state unknown: cannot read /proc/self/mountinfo: EACCES: guard doctor'],
    ['a stale db.lck', { ...base, problems: ['stale /var/lib/pacman/db.lck: no process holds it'] }, 'disengaged: nothing merged, unlocked; 1 problem: guard status'],
  ] as const)('%s', (_, document, line) => {
    expect(shortStatus(document as StatusDocument)).toBe(line);
    expect(shortStatus(document as StatusDocument)).not.toContain('\n');
  });
});
