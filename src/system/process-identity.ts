/**
 * A process told apart from a later one that reused its PID: the start time
 * the kernel keeps in /proc/PID/stat (clock ticks after boot). The lock's
 * holder (src/lock/serialize.ts), a guard update's record
 * (src/system/update-record.ts) and the boot time (boot-time.ts) read it here.
 */
// Synchronous, like every read on the hot paths (why: src/system/probe.ts).
import { readFileSync } from 'node:fs';

/** Pure: field 22 of /proc/PID/stat (after the parenthesised name, which may hold spaces and parentheses). */
export function startTimeFromStat(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

/** The start time of PID, or undefined when no such process exists (or /proc cannot be read). */
export function processStartTime(pid: number, procRoot = '/proc'): string | undefined {
  try {
    return startTimeFromStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the process that was PID with that start time still runs. */
export function stillRunning(pid: number, start: string, procRoot = '/proc'): boolean {
  return processStartTime(pid, procRoot) === start;
}
