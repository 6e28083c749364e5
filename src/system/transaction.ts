/**
 * Whether a pacman transaction is in progress: pacman holds `<DBPath>/db.lck`
 * (created with O_EXCL, removed when it finishes) while it works. A db.lck
 * with no pacman running is stale: reported, never removed or created here
 * (yay, paru and makepkg wait on it forever).
 */
import { access, readFile, readdir } from 'node:fs/promises';
import { normalizeDirectory } from './db-lock.js';

export interface PacmanProcess {
  readonly pid: number;
  readonly name: string;
}

export interface TransactionState {
  readonly lockFile: string;
  readonly lockFileExists: boolean;
  readonly pacmanProcesses: readonly PacmanProcess[];
  /** `none`, `running` (db.lck held by a running pacman), `stale` (db.lck but no pacman), `starting` (pacman runs, no db.lck yet). */
  readonly state: 'none' | 'running' | 'stale' | 'starting';
}

export function lockFilePath(dbPath: string): string {
  return `${normalizeDirectory(dbPath)}/db.lck`.replace(/^\/\//, '/');
}

/** Process names that take pacman's lock: pacman itself and libalpm front-ends we know of. */
const LOCK_HOLDERS = new Set(['pacman', 'pamac-daemon', 'packagekitd']);

export async function findPacmanProcesses(procRoot = '/proc', exceptPid = process.pid): Promise<PacmanProcess[]> {
  const found: PacmanProcess[] = [];
  for (const entry of await readdir(procRoot)) {
    if (!/^\d+$/.test(entry) || Number(entry) === exceptPid) continue;
    try {
      const name = (await readFile(`${procRoot}/${entry}/comm`, 'utf8')).trim();
      if (LOCK_HOLDERS.has(name)) found.push({ pid: Number(entry), name });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

export function transactionStateOf(lockFileExists: boolean, processes: readonly PacmanProcess[]): TransactionState['state'] {
  if (lockFileExists) return processes.length > 0 ? 'running' : 'stale';
  return processes.length > 0 ? 'starting' : 'none';
}

export async function probeTransaction(dbPath: string, procRoot = '/proc'): Promise<TransactionState> {
  const lockFile = lockFilePath(dbPath);
  const lockFileExists = await access(lockFile).then(() => true, () => false);
  const pacmanProcesses = await findPacmanProcesses(procRoot);
  return { lockFile, lockFileExists, pacmanProcesses, state: transactionStateOf(lockFileExists, pacmanProcesses) };
}
