/**
 * The write-ahead record of a `guard update`, the one place that says an
 * update is open, how far it got and what it found. Like SQLite's journal:
 * written (whole, fsync'd, renamed into place, the directory fsync'd) BEFORE
 * each phase starts, and read by every guard command, the shim, the hook and
 * the boot path (the probe, src/system/probe.ts) before they act. It lives on
 * persistent storage (/var/lib/pacman-guard), so a power loss leaves it for
 * the next boot; `guard update --finish` picks up from any phase.
 *
 * The updating guard is told apart from a process that reused its PID by its
 * start time (process-identity.ts), and from a guard of an earlier boot by a
 * mark in /run (a tmpfs, empty after every boot): no mark, no running update.
 */
// Read synchronously: the probe reads it on every refusal, hook and status (why: src/system/probe.ts).
import type { MutableMode } from './merge-state.js';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stillRunning } from './process-identity.js';
import { RUNTIME_DIR } from './runtime-dir.js';

/** The guard's persistent state (install manifest, the update record). */
export const STATE_DIR = '/var/lib/pacman-guard';
export const UPDATE_RECORD = join(STATE_DIR, 'update.json');
/** Written in /run with the record's first write: this boot's update (gone after a reboot). */
export const UPDATE_BOOT_MARK = join(RUNTIME_DIR, 'update.boot');

/**
 * The phases of an update, in order. Each is recorded before its step starts;
 * `guard update --finish` redoes every step from the recorded one on, and each
 * step is idempotent (src/update/update.ts, restore). The crash test kills the
 * guard at each of them (test/integration/update-crash.test.ts).
 */
export const UPDATE_PHASES = [
  /** The record holds what was found; nothing changed yet. */
  'preparing',
  /** Extensions unmerged, the database unlocked. */
  'unmerging',
  /** The host's mounts of read-only file systems made read-only per mount (`opened`). */
  'opening',
  /** pacman runs in the window. */
  'running pacman',
  /** The window's file systems read-only again; the database locked as found. */
  'closing',
  /** Extensions checked against the new base; unfit ones held. */
  'checking',
  /** Extensions merged again, as found. */
  'merging',
  /** `rebuilding`: the extensions being rebuilt with guard extend. */
  'rebuilding',
  /** The system compared with what was found; then the record goes. */
  'verifying',
] as const;

export type UpdatePhase = (typeof UPDATE_PHASES)[number];

export interface OpenedHierarchy {
  readonly hierarchy: string;
  /** `superblock`: the file system was made writable and must be made read-only again. */
  readonly kind: 'mount' | 'superblock';
}

export interface RebuildTarget {
  readonly name: string;
  /** What guard extend builds it from again. */
  readonly targets: readonly string[];
  /** Held before this update: a failed rebuild leaves it held as it was, which is not left undone. */
  readonly held?: boolean;
}

export interface UpdateRecord {
  readonly pid: number;
  /** /proc/PID/stat's starttime of that process. */
  readonly pidStart: string;
  readonly started: string;
  /** pacman's arguments. */
  readonly args: readonly string[];
  /** What the update found and puts back. */
  readonly found: {
    readonly merged: readonly { readonly hierarchy: string; readonly extensions: readonly string[] }[];
    readonly locked: boolean;
    /** The system extensions' mutable mode in force (merge-state.ts modeInForce); absent: read-only. */
    readonly mode?: MutableMode;
    /** Configuration extensions merged on /etc, and their mode: pacman writes /etc too, so they go and come back. */
    readonly confext?: { readonly extensions: readonly string[]; readonly mode?: MutableMode };
  };
  readonly opened: readonly OpenedHierarchy[];
  /** The base's packages before pacman ran (local/ entries, `name-version-release`): changed base, rollback. */
  readonly packagesBefore: readonly string[];
  /** Extensions being rebuilt (phase `rebuilding`): those the check found needing it, those held before; --finish rebuilds what is left. */
  readonly rebuilding: readonly RebuildTarget[];
  /** A SIGTERM or SIGHUP the guard received and did not pass on to pacman. */
  readonly signal?: string;
  /** pacman's exit status, once it ended. */
  readonly pacmanStatus?: number;
  readonly phase: UpdatePhase;
}

export interface UpdateInProgress {
  readonly record: UpdateRecord;
  /** The guard that wrote it still runs; otherwise it was interrupted. */
  readonly running: boolean;
  /** It began in this boot (its mark in /run is there); false after a reboot or a power loss. */
  readonly thisBoot: boolean;
}

const isStrings = (value: unknown) => Array.isArray(value) && value.every((entry) => typeof entry === 'string');

function isRecord(value: unknown): value is UpdateRecord {
  const record = value as Partial<UpdateRecord> | null;
  return typeof record === 'object' && record !== null && Number.isInteger(record.pid) && typeof record.pidStart === 'string'
    && typeof record.started === 'string' && isStrings(record.args) && typeof record.found === 'object' && record.found !== null
    && Array.isArray(record.found.merged) && typeof record.found.locked === 'boolean' && Array.isArray(record.opened)
    && isStrings(record.packagesBefore) && Array.isArray(record.rebuilding)
    && (UPDATE_PHASES as readonly string[]).includes(record.phase as string);
}

export interface RecordPaths {
  readonly path?: string;
  readonly bootMark?: string;
  readonly procRoot?: string;
}

/** undefined: no update in progress. Throws when a record exists but cannot be read (the caller fails closed). */
export function readUpdateRecord(paths: RecordPaths = {}): UpdateInProgress | undefined {
  const path = paths.path ?? UPDATE_RECORD;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    record = undefined;
  }
  if (!isRecord(record)) throw new Error(`${path} is not a guard update record`);
  let mark: string | undefined;
  try {
    mark = readFileSync(paths.bootMark ?? UPDATE_BOOT_MARK, 'utf8').trim();
  } catch {
    mark = undefined;
  }
  const thisBoot = mark === `${record.pid} ${record.pidStart}`;
  return { record, thisBoot, running: thisBoot && stillRunning(record.pid, record.pidStart, paths.procRoot) };
}

/** Whole or not at all, and on the disk before the phase starts: file fsync'd, renamed, directory fsync'd. */
function writeDurably(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const temporary = `${path}.${process.pid}.tmp`;
  const file = openSync(temporary, 'w', 0o644);
  try {
    writeSync(file, text);
    fsyncSync(file);
  } finally {
    closeSync(file);
  }
  renameSync(temporary, path);
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

/**
 * Records the update as entering `record.phase`. PACMAN_GUARD_CRASH_AT=PHASE
 * makes the guard kill itself (SIGKILL) right after recording that phase:
 * the crash test's way to stop it at every phase (docs/update.md).
 */
export function writeUpdateRecord(record: UpdateRecord, paths: RecordPaths & { env?: NodeJS.ProcessEnv } = {}): void {
  const path = paths.path ?? UPDATE_RECORD;
  const bootMark = paths.bootMark ?? UPDATE_BOOT_MARK;
  const mark = `${record.pid} ${record.pidStart}\n`;
  // The mark first: a record without this boot's mark would read as interrupted.
  if (record.pid === process.pid) {
    mkdirSync(dirname(bootMark), { recursive: true, mode: 0o755 });
    writeFileSync(bootMark, mark, { mode: 0o644 });
  }
  writeDurably(path, `${JSON.stringify(record, null, 2)}\n`);
  if ((paths.env ?? process.env).PACMAN_GUARD_CRASH_AT === record.phase) process.kill(process.pid, 'SIGKILL');
}

/** What the last finished update changed, for `guard update --rollback`: not an open update, a fact of history. */
export const LAST_UPDATE = join(STATE_DIR, 'last-update.json');

export interface LastUpdate {
  readonly finished: string;
  readonly args: readonly string[];
  readonly packagesBefore: readonly string[];
  readonly packagesAfter: readonly string[];
}

export function writeLastUpdate(last: LastUpdate, path = LAST_UPDATE): void {
  writeDurably(path, `${JSON.stringify(last, null, 2)}\n`);
}

/** undefined: no update finished yet (or the file is not one). */
export function readLastUpdate(path = LAST_UPDATE): LastUpdate | undefined {
  try {
    const last = JSON.parse(readFileSync(path, 'utf8')) as Partial<LastUpdate>;
    return isStrings(last.packagesBefore) && isStrings(last.packagesAfter) && isStrings(last.args) && typeof last.finished === 'string' ? last as LastUpdate : undefined;
  } catch {
    return undefined;
  }
}

/** The record goes last (made durable too); the mark with it. */
export function removeUpdateRecord(paths: RecordPaths = {}): void {
  const path = paths.path ?? UPDATE_RECORD;
  rmSync(path, { force: true });
  try {
    const directory = openSync(dirname(path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  } catch {
    // No directory: no record either.
  }
  rmSync(paths.bootMark ?? UPDATE_BOOT_MARK, { force: true });
}
