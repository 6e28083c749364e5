import { AsyncResource } from 'node:async_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serialized } from '../../../src/lock/serialize.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('serialized: one guard at a time', () => {
  it('names its holder whole: PID and start time', async () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'guard-serialize-'));
    directories.push(runtimeDir);
    const owner = await serialized(async () => readFileSync(join(runtimeDir, 'lock.owner'), 'utf8'), { runtimeDir });
    expect(owner).toMatch(new RegExp(`^${process.pid} \\d+\\n$`));
  });

  it.each([
    ['empty, as a reader sees a name truncated but not yet written', ''],
    ['a PID without a start time', `${process.pid}`],
    ['not a PID at all', 'garbage'],
  ])('a live holder whose name is %s is waited for, not taken over', async (_, name) => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'guard-serialize-'));
    directories.push(runtimeDir);
    // Bound out here, so the other guard runs outside the holder's flow (the lock is re-entrant within it).
    const otherGuard = AsyncResource.bind(() => serialized(async () => 'took it', { runtimeDir, waitMs: 500 }).catch((error: Error) => error.message));
    const first = serialized(async () => {
      writeFileSync(join(runtimeDir, 'lock.owner'), name);
      // Held until the other guard has given up or (wrongly) taken it.
      return otherGuard();
    }, { runtimeDir });
    expect(await first).toMatch(/^cannot take pacman-guard's own lock .*: the lock is held by another guard \(ELOCKED\)$/);
  });

  it('takes over at once from a holder that is gone', async () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'guard-serialize-'));
    directories.push(runtimeDir);
    const otherGuard = AsyncResource.bind(() => serialized(async () => 'took it', { runtimeDir, waitMs: 10_000 }));
    const result = await serialized(async () => {
      // No process has this PID (Linux's pid_max is at most 4,194,304).
      writeFileSync(join(runtimeDir, 'lock.owner'), '999999999 12345\n');
      return otherGuard();
    }, { runtimeDir });
    expect(result).toBe('took it');
  });
});
