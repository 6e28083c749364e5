/**
 * One guard at a time changes the lock: concurrent `guard lock`/`unlock`
 * calls queue on a proper-lockfile lock under /run, so mounts never stack.
 * A guard killed with -9 leaves a lock directory that goes stale after
 * STALE_MS; the next call then takes over.
 *
 * Re-entrant within one flow of work: `guard update` holds the lock across
 * its whole maintenance window and calls lock, merge and extend inside it,
 * which take the same lock; AsyncLocalStorage tells them they already hold it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, writeFile } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

export const RUNTIME_DIR = '/run/pacman-guard';
export const STALE_MS = 5_000;

/** The lock files the current asynchronous flow holds. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

export async function serialized<T>(work: () => Promise<T>, options: { runtimeDir?: string; waitMs?: number; lockName?: string } = {}): Promise<T> {
  const directory = options.runtimeDir ?? RUNTIME_DIR;
  const file = `${directory}/${options.lockName ?? 'lock'}`;
  const holding = held.getStore() ?? new Set<string>();
  if (holding.has(file)) return work();
  let release: () => Promise<void>;
  try {
    await mkdir(directory, { recursive: true, mode: 0o755 });
    await writeFile(file, '', { flag: 'a' });
    release = await lockfile.lock(file, {
      stale: STALE_MS,
      update: 1_000,
      realpath: false,
      retries: { retries: Math.ceil((options.waitMs ?? 60_000) / 100), factor: 1, minTimeout: 50, maxTimeout: 100, randomize: true },
    });
  } catch (error) {
    throw new GuardError(`cannot take pacman-guard's own lock ${file}: ${describeError(error)}`, {
      exitCode: ExitCode.Failure,
      hints: ['  another guard is changing the lock; try again, or check: guard status'],
      cause: error,
    });
  }
  try {
    return await held.run(new Set([...holding, file]), work);
  } finally {
    await release().catch(() => undefined);
  }
}
