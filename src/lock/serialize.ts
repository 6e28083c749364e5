/**
 * One guard at a time changes the lock: concurrent `guard lock`/`unlock`
 * calls queue on a proper-lockfile lock under /run, so mounts never stack.
 *
 * A lock is stale only when the guard that holds it is gone: the holder
 * writes its PID and start time (/proc/PID/stat) beside the lock, and a
 * waiter that finds that process dead (or its PID reused) takes the lock
 * over at once. proper-lockfile's own staleness, an mtime its holder renews
 * every second, is kept only as the last resort for a holder killed between
 * taking the lock and writing its name: on a machine loaded enough that a
 * live holder misses its renewals for a few seconds, mtime alone would hand
 * the lock to a second guard while the first still mounts (observed: 40
 * concurrent calls under a load average of 60 left two self-binds).
 *
 * Re-entrant within one flow of work: `guard update` holds the lock across
 * its whole maintenance window and calls lock, merge and extend inside it,
 * which take the same lock; AsyncLocalStorage tells them they already hold it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { processStartTime } from '../system/process-identity.js';
import { RUNTIME_DIR } from '../system/runtime-dir.js';

export { RUNTIME_DIR };
/** A lock whose holder never said who it is, unrenewed this long, is taken over. */
export const UNNAMED_STALE_MS = 5_000;
/** proper-lockfile's mtime staleness: far beyond any starvation; the holder's death is what frees a lock. */
const MTIME_STALE_MS = 10 * 60_000;

/** The lock files the current asynchronous flow holds. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

const ownerFile = (file: string) => `${file}.owner`;
/** proper-lockfile's lock directory for `file`. */
const lockDirectory = (file: string) => `${file}.lock`;

/** Whether the lock on `file` belongs to nobody alive: its holder is dead, or unnamed and silent for too long. */
async function abandoned(file: string): Promise<boolean> {
  const lock = await stat(lockDirectory(file)).catch(() => undefined);
  if (!lock) return false;
  const owner = await readFile(ownerFile(file), 'utf8').catch(() => undefined);
  const [pid, start] = owner?.trim().split(' ') ?? [];
  // Unnamed, or a name that does not parse (never half-written: see nameHolder), counts as unnamed.
  if (pid === undefined || !/^\d+$/.test(pid) || start === undefined || start === '') return Date.now() - lock.mtimeMs > UNNAMED_STALE_MS;
  return (await processStartTime(Number(pid))) !== start;
}

/**
 * Writes the holder's PID and start time beside the lock, whole or not at
 * all (a new file renamed into place): a waiter that read a file truncated
 * but not yet written would take a live holder for a dead one. Seen under
 * load: 40 concurrent lock and unlock calls beside a running test suite left
 * /var/lib/pacman's own file system read-only, two guards having held the
 * lock at once.
 */
async function nameHolder(file: string): Promise<void> {
  const start = await processStartTime(process.pid);
  if (start === undefined) return;
  const temporary = `${ownerFile(file)}.${process.pid}`;
  await writeFile(temporary, `${process.pid} ${start}\n`);
  await rename(temporary, ownerFile(file));
}

/**
 * Removes an abandoned lock, judged and removed under a short mutex of its
 * own (mkdir is atomic), and only if it is still the very lock directory
 * that was judged: two waiters must never both remove, the second one
 * removing the first one's fresh lock.
 */
async function takeOver(file: string): Promise<void> {
  const mutex = `${file}.takeover`;
  try {
    await mkdir(mutex);
  } catch {
    // Another waiter is at it. A mutex left by a waiter killed inside those few milliseconds goes after a while.
    const info = await stat(mutex).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > UNNAMED_STALE_MS) await rm(mutex, { recursive: true, force: true });
    return;
  }
  try {
    if (await abandoned(file)) {
      await rm(ownerFile(file), { force: true });
      await rm(lockDirectory(file), { recursive: true, force: true });
    }
  } finally {
    await rm(mutex, { recursive: true, force: true });
  }
}

async function acquire(file: string, waitMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const release = await lockfile.lock(file, { stale: MTIME_STALE_MS, update: 1_000, realpath: false, retries: 0 });
      await nameHolder(file);
      return async () => {
        await rm(ownerFile(file), { force: true });
        await release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
    if (await abandoned(file)) {
      await takeOver(file);
      continue;
    }
    if (Date.now() >= deadline) throw Object.assign(new Error('the lock is held by another guard'), { code: 'ELOCKED' });
    await sleep(50 + Math.random() * 50);
  }
}

export async function serialized<T>(work: () => Promise<T>, options: { runtimeDir?: string; waitMs?: number; lockName?: string } = {}): Promise<T> {
  const directory = options.runtimeDir ?? RUNTIME_DIR;
  const file = `${directory}/${options.lockName ?? 'lock'}`;
  const holding = held.getStore() ?? new Set<string>();
  if (holding.has(file)) return work();
  let release: () => Promise<void>;
  try {
    await mkdir(directory, { recursive: true, mode: 0o755 });
    await writeFile(file, '', { flag: 'a' });
    release = await acquire(file, options.waitMs ?? 60_000);
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
