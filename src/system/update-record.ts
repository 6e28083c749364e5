/**
 * The record of a `guard update` in progress, in /run (gone at reboot, like
 * the state it describes): the merge and lock state it found, what it made
 * writable, and the phase it is in. While the record exists every guard
 * command knows a maintenance window is open, and after a `kill -9` it knows
 * what to put back (`guard update --finish`).
 *
 * The updating guard is told apart from a process that reused its PID by the
 * start time the kernel keeps in /proc/PID/stat.
 */
// Read synchronously: the probe reads it on every refusal, hook and status (why: src/system/probe.ts).
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUNTIME_DIR } from '../system/runtime-dir.js';

export const UPDATE_RECORD = join(RUNTIME_DIR, 'update.json');

export type UpdatePhase = 'preparing' | 'running pacman' | 'restoring';

export interface OpenedHierarchy {
  readonly hierarchy: string;
  /** `superblock`: the file system was made writable and must be made read-only again. */
  readonly kind: 'mount' | 'superblock';
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
  };
  readonly opened: readonly OpenedHierarchy[];
  /** A digest of pacman's local and sync databases before pacman ran: unchanged means nothing to check. */
  readonly baseBefore: string;
  readonly phase: UpdatePhase;
}

export interface UpdateInProgress {
  readonly record: UpdateRecord;
  /** The guard that wrote it still runs; otherwise it was interrupted. */
  readonly running: boolean;
}

/** Field 22 of /proc/PID/stat (after the parenthesised name, which may hold spaces). */
export function startTimeFromStat(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

export async function processStartTime(pid: number, procRoot = '/proc'): Promise<string | undefined> {
  try {
    return startTimeFromStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is UpdateRecord {
  const record = value as Partial<UpdateRecord> | null;
  return typeof record === 'object' && record !== null && Number.isInteger(record.pid) && typeof record.pidStart === 'string'
    && typeof record.started === 'string' && Array.isArray(record.args) && typeof record.found === 'object' && record.found !== null
    && Array.isArray(record.found.merged) && typeof record.found.locked === 'boolean' && Array.isArray(record.opened) && typeof record.baseBefore === 'string' && typeof record.phase === 'string';
}

/** undefined: no update in progress. Throws when a record exists but cannot be read (the caller fails closed). */
export async function readUpdateRecord(path = UPDATE_RECORD, procRoot = '/proc'): Promise<UpdateInProgress | undefined> {
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
  return { record, running: (await processStartTime(record.pid, procRoot)) === record.pidStart };
}

/** Written whole or not at all: a reader never sees half a record. */
export async function writeUpdateRecord(record: UpdateRecord, path = UPDATE_RECORD): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o644 });
  await rename(temporary, path);
}

export async function removeUpdateRecord(path = UPDATE_RECORD): Promise<void> {
  await rm(path, { force: true });
}
