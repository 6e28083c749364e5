/**
 * When this system booted, for the audit counters' "since boot": the start of
 * PID 1. Not /proc/stat's btime alone: in a container that is the host's boot,
 * while PID 1 (in the container's PID namespace) is the container's init.
 * /proc/1/stat gives its start in clock ticks since the kernel booted (btime).
 */
import { readFile } from 'node:fs/promises';
import { startTimeFromStat } from './process-identity.js';

/**
 * USER_HZ, the unit of /proc/PID/stat's starttime: 100 on every architecture
 * Arch and Debian build for (sysconf(_SC_CLK_TCK), which Node does not expose).
 */
const CLOCK_TICKS_PER_SECOND = 100;

/** Pure: btime (seconds since the epoch) from /proc/stat's text. */
export function parseKernelBootTime(procStat: string): number | undefined {
  const match = /^btime (\d+)$/m.exec(procStat);
  return match ? Number(match[1]) : undefined;
}

/** Pure: starttime (field 22, clock ticks after btime) from /proc/PID/stat; the command name may hold spaces and parentheses. */
export function parseStartTicks(pidStat: string): number | undefined {
  const ticks = Number(startTimeFromStat(pidStat));
  return Number.isInteger(ticks) && ticks >= 0 ? ticks : undefined;
}

/** Pure: the two combined. */
export function initStartTime(procStat: string, initStat: string): Date | undefined {
  const btime = parseKernelBootTime(procStat);
  const ticks = parseStartTicks(initStat);
  if (btime === undefined || ticks === undefined) return undefined;
  return new Date(btime * 1000 + Math.floor((ticks * 1000) / CLOCK_TICKS_PER_SECOND));
}

export async function bootTime(procRoot = '/proc'): Promise<Date | undefined> {
  try {
    const [procStat, initStat] = await Promise.all([readFile(`${procRoot}/stat`, 'utf8'), readFile(`${procRoot}/1/stat`, 'utf8')]);
    return initStartTime(procStat, initStat);
  } catch {
    return undefined;
  }
}
