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
    let second: Promise<string> | undefined;
    const started = new Promise<void>((resolve) => {
      // Another flow, not inside the holder's: the lock is not re-entrant for it.
      second = new Promise((settle) => setImmediate(() => {
        resolve();
        settle(serialized(async () => 'took it', { runtimeDir, waitMs: 500 }).catch((error: Error) => error.message));
      }));
    });
    const first = serialized(async () => {
      writeFileSync(join(runtimeDir, 'lock.owner'), name);
      await started;
      // Hold the lock until the other flow has given up or (wrongly) taken it.
      return second!;
    }, { runtimeDir });
    expect(await first).toMatch(/^cannot take pacman-guard's own lock .*: the lock is held by another guard \(ELOCKED\)$/);
  });

  it('takes over at once from a holder that is gone', async () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'guard-serialize-'));
    directories.push(runtimeDir);
    const result = await serialized(async () => {
      // No process has this PID (Linux's pid_max is at most 4,194,304).
      writeFileSync(join(runtimeDir, 'lock.owner'), '999999999 12345\n');
      return new Promise<string>((settle) => setImmediate(() => settle(serialized(async () => 'took it', { runtimeDir, waitMs: 10_000 }))));
    }, { runtimeDir });
    expect(result).toBe('took it');
  });
});
