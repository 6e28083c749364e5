/**
 * A process told apart from a later one that reused its PID: the start time
 * the kernel keeps in /proc/PID/stat (clock ticks after boot). The lock's
 * holder (src/lock/serialize.ts), a guard update's record
 * (src/system/update-record.ts) and the boot time (boot-time.ts) read it here.
 */
// Synchronous, like every read on the hot paths (why: src/system/probe.ts).
import { readFileSync } from 'node:fs';

export interface ProcessFacts {
  readonly pid: number;
  readonly comm: string;
  /** R, S, D, Z (a zombie has ended; its parent has not reaped it yet), … */
  readonly state: string;
  readonly ppid: number;
  /** Field 22, starttime: with the PID, an identity a reused PID cannot fake. */
  readonly startTime: string;
}

/**
 * Pure: the fields of one /proc/PID/stat line, the one parser of it. comm may
 * hold spaces and parentheses: the fields start after the last ')'.
 */
export function parseStat(pid: number, stat: string): ProcessFacts | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  const startTime = fields[19];
  if (!Number.isInteger(ppid) || startTime === undefined) return undefined;
  return { pid, comm: stat.slice(open + 1, close), state: fields[0] ?? '', ppid, startTime };
}

/** Pure: field 22 of /proc/PID/stat. */
export function startTimeFromStat(stat: string): string | undefined {
  return parseStat(0, stat)?.startTime;
}

/** PID's /proc/PID/stat fields, or undefined when no such process exists (or /proc cannot be read). */
export function readProcess(pid: number, procRoot = '/proc'): ProcessFacts | undefined {
  try {
    return parseStat(pid, readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The start time of PID, or undefined when no such process exists (or /proc cannot be read). */
export function processStartTime(pid: number, procRoot = '/proc'): string | undefined {
  return readProcess(pid, procRoot)?.startTime;
}

/** Whether the process that was PID with that start time still runs. */
export function stillRunning(pid: number, start: string, procRoot = '/proc'): boolean {
  return processStartTime(pid, procRoot) === start;
}
