/**
 * What the boot lock (hooks/systemd/boot-lock.sh, systemd-sysext.service's
 * ExecStartPre) may take as known without starting node: written each time
 * the fit check (check.ts) found every extension guard extend built fitting
 * the base, it names pacman's DBPath, the update record (present: the shell
 * hands over to the guard, which refuses), how many mounts at DBPath are not
 * the guard's (1 when it is a file system of its own; the shell locks only
 * over exactly those), the extension store, and the identity of everything
 * that check and the DBPath depend on, taken before the check read them:
 * pacman.conf and every file it may include (pacman-conf-files.ts),
 * DBPath's local/ (its entries are the base's packages), every entry of the
 * store (the shell lists the store itself: an entry added or removed
 * differs; guard extend puts a build in place by rename, a new inode) and
 * each built extension's provenance. Not the store directory's own: every
 * systemd-sysext merge creates and removes its lock file there (.#NAME.lck).
 * An identity is what
 * `stat -c '%n %d %i %.9Z'` prints: path, device, inode and ctime in
 * nanoseconds. ctime cannot be set back, so the same identities mean the same
 * base, extensions and configuration as at the check; anything else, and the
 * guard decides as before.
 *
 * Kept on persistent storage like fit.json: a boot after a power loss reads
 * it, and an update cut short leaves its record, so the shell hands over.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dbLockState } from '../system/db-lock.js';
import { pacmanConfFiles } from '../system/pacman-conf-files.js';
import { DEFAULT_PACMAN_CONF } from '../system/pacman-conf.js';
import { readMounts } from '../system/probe.js';
import { STATE_DIR, UPDATE_RECORD } from '../system/update-record.js';

export const BOOT_LOCK_TOKEN = join(STATE_DIR, 'boot-lock');
/** The token's first line; boot-lock.sh hands over on any other. */
export const BOOT_TOKEN_HEADER = 'pacman-guard boot-lock 1';

export interface Identity {
  readonly path: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly ctimeNs: bigint;
}

/** Pure: one identity as GNU stat prints `%n %d %i %.9Z`. */
export function identityLine(identity: Identity): string {
  const seconds = identity.ctimeNs / 1_000_000_000n;
  const nanoseconds = (identity.ctimeNs % 1_000_000_000n).toString().padStart(9, '0');
  return `${identity.path} ${identity.dev} ${identity.ino} ${seconds}.${nanoseconds}`;
}

/** A path the shell reads word by word: absolute, with no white space or glob character. */
const SHELL_SAFE = /^\/[^\s*?[\]\\]*$/;

/**
 * Pure: the token's text, or undefined when it cannot be written so that the
 * shell reads it as meant (a path with white space, a glob character, or not
 * absolute; no identity at all): then there is none, and every boot asks the guard.
 */
export function renderBootToken(dbPath: string, record: string, store: string, otherMounts: number, identities: readonly Identity[]): string | undefined {
  if (identities.length === 0 || !Number.isInteger(otherMounts) || otherMounts < 0) return undefined;
  if (![dbPath, record, store, ...identities.map((identity) => identity.path)].every((path) => SHELL_SAFE.test(path))) return undefined;
  return [BOOT_TOKEN_HEADER, `dbpath ${dbPath}`, `record ${record}`, `mounts ${otherMounts}`, `store ${store}`, ...identities.map(identityLine)].join('\n') + '\n';
}

/**
 * The identities of paths now, as stat(1) sees them (not following a last
 * symbolic link); undefined when one is absent or cannot be read: the shell's
 * stat would fail there, so no token is worth writing.
 */
export function identitiesOf(paths: readonly string[]): Identity[] | undefined {
  const identities: Identity[] = [];
  for (const path of paths) {
    try {
      const info = lstatSync(path, { bigint: true });
      identities.push({ path, dev: info.dev, ino: info.ino, ctimeNs: info.ctimeNs });
    } catch {
      return undefined;
    }
  }
  return identities;
}

/**
 * Written whole or not at all, and only when it differs (a merge at every
 * boot would otherwise write the disk each time). An old token is never
 * removed: it stands for the state it describes, which was found fitting,
 * and any other state differs from it in some identity.
 */
export function writeBootToken(text: string, path = BOOT_LOCK_TOKEN): void {
  try {
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) return;
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, path);
  } catch {
    // No token costs the next boot a node start, nothing else.
  }
}

/** What a fit check saw before it read anything: what the token will stand for, if the check ends well. */
export interface BootSnapshot {
  readonly dbPath: string;
  readonly store: string;
  readonly otherMounts: number;
  readonly identities: readonly Identity[];
}

/** The DBPath as the mount table names it (no trailing slash, no symbolic link): the shell compares it there. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Taken before the check reads the base or the store. undefined: no token can
 * stand for the state now (one written before still stands for what it
 * described): a view of the guard's is mounted on DBPath (local/ seen through
 * it is not the directory a boot finds), the mount table cannot be read, a
 * file pacman.conf may include is missing, the store cannot be listed.
 */
export async function bootSnapshot(dbPathInput: string, storeInput: string): Promise<BootSnapshot | undefined> {
  const dbPath = canonical(dbPathInput);
  const store = canonical(storeInput);
  const mounts = await readMounts();
  if (!mounts.ok) return undefined;
  const lock = dbLockState(mounts.value, dbPath);
  if (lock.views > 0) return undefined;
  const configuration = await pacmanConfFiles(DEFAULT_PACMAN_CONF);
  if (!configuration || configuration.some(([, identity]) => identity === 'absent')) return undefined;
  let entries: string[];
  try {
    // As the shell's glob lists them (no name starting with '.'); it compares them as a set.
    entries = readdirSync(store).filter((name) => !name.startsWith('.')).sort().map((name) => join(store, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    entries = [];
  }
  const identities = identitiesOf([...new Set([...configuration.map(([path]) => path), join(dbPath, 'local'), ...entries])]);
  return identities && { dbPath, store, otherMounts: lock.otherMounts, identities };
}

/** After a check that ended well: the token for the snapshot and the provenance files of the built extensions it judged. */
export function recordBootToken(snapshot: BootSnapshot, provenances: readonly string[], path = BOOT_LOCK_TOKEN): void {
  const more = identitiesOf(provenances);
  const text = more && renderBootToken(snapshot.dbPath, UPDATE_RECORD, snapshot.store, snapshot.otherMounts, [...snapshot.identities, ...more]);
  if (text) writeBootToken(text, path);
}
