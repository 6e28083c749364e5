/**
 * Whether a pacman transaction is running on *this* database: the one
 * definition every guard command uses (the shim, the hook, lock, merge,
 * update, status). libalpm creates `<DBPath>/db.lck` with O_EXCL and keeps it
 * open for the whole transaction, so a transaction is a process that holds
 * this very file open: the same device and inode, looked up through
 * /proc/PID/fd, which works across mount namespaces. A pacman on another
 * database (pacstrap into /mnt, a container's pacman on its own tmpfs) holds
 * another file and does not count. A db.lck that nobody holds is stale:
 * reported, never removed or created here (yay, paru and makepkg wait on it
 * forever).
 *
 * A process whose descriptors cannot be read (an ordinary user looking at
 * root's pacman) counts as a holder when its name is one of the known lock
 * takers: unsure means busy, never stale.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { normalizeDirectory } from './db-lock.js';

export interface LockHolder {
  readonly pid: number;
  readonly name: string;
  /** It could not be inspected; its name alone made it count. */
  readonly assumed?: boolean;
}

export interface TransactionState {
  readonly lockFile: string;
  readonly lockFileExists: boolean;
  /** The processes that hold this database's db.lck open. */
  readonly holders: readonly LockHolder[];
  /** `none`, `running` (db.lck held open by a process), `stale` (db.lck that nobody holds). */
  readonly state: 'none' | 'running' | 'stale';
}

export function lockFilePath(dbPath: string): string {
  return `${normalizeDirectory(dbPath)}/db.lck`.replace(/^\/\//, '/');
}

/** Names of processes that take pacman's lock: pacman itself and libalpm front-ends we know of. */
const LOCK_TAKERS = new Set(['pacman', 'pamac-daemon', 'packagekitd']);

/** Pure: the state from whether db.lck exists and who holds it. */
export function transactionStateOf(lockFileExists: boolean, holders: readonly LockHolder[]): TransactionState['state'] {
  if (!lockFileExists) return 'none';
  return holders.length > 0 ? 'running' : 'stale';
}

/** What `read` returns, or undefined when it throws (a process gone meanwhile, a file absent). */
function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function processName(procRoot: string, pid: string): string {
  try {
    return readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The processes with a descriptor on the file with this device and inode. */
export async function findLockHolders(target: { dev: number; ino: number }, procRoot = '/proc', exceptPid = process.pid): Promise<LockHolder[]> {
  const holders: LockHolder[] = [];
  for (const entry of readdirSync(procRoot)) {
    if (!/^\d+$/.test(entry) || Number(entry) === exceptPid) continue;
    let descriptors: string[];
    try {
      descriptors = readdirSync(`${procRoot}/${entry}/fd`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Gone meanwhile: not a holder. Not ours to read: its name decides.
      if (code === 'EACCES' || code === 'EPERM') {
        const name = processName(procRoot, entry);
        if (LOCK_TAKERS.has(name)) holders.push({ pid: Number(entry), name, assumed: true });
      }
      continue;
    }
    for (const descriptor of descriptors) {
      const link = `${procRoot}/${entry}/fd/${descriptor}`;
      // The link's text is cheap and names the file as that process sees it: only a db.lck is worth a stat.
      const text = orUndefined(() => readlinkSync(link)) ?? '';
      if (!text.endsWith('/db.lck') && !text.endsWith('/db.lck (deleted)')) continue;
      const info = orUndefined(() => statSync(link));
      if (info && info.dev === target.dev && info.ino === target.ino) {
        holders.push({ pid: Number(entry), name: processName(procRoot, entry) });
        break;
      }
    }
  }
  return holders;
}

export async function probeTransaction(dbPath: string, procRoot = '/proc'): Promise<TransactionState> {
  const lockFile = lockFilePath(dbPath);
  const info = orUndefined(() => statSync(lockFile));
  if (!info) return { lockFile, lockFileExists: false, holders: [], state: 'none' };
  const holders = await findLockHolders({ dev: info.dev, ino: info.ino }, procRoot);
  return { lockFile, lockFileExists: true, holders, state: transactionStateOf(true, holders) };
}

/** "pacman (pid 123) holds /var/lib/pacman/db.lck", for messages. */
export function describeHolders(transaction: TransactionState): string {
  const who = transaction.holders.map((holder) => `${holder.name || 'a process'} (pid ${holder.pid}${holder.assumed ? ', by its name' : ''})`).join(', ');
  return `${who} ${transaction.holders.length === 1 ? 'holds' : 'hold'} ${transaction.lockFile}`;
}
