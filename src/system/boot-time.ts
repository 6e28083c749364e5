/**
 * When this machine booted: the kernel's btime in /proc/stat (seconds since
 * the epoch), which is what "since boot" means for the audit counters.
 */
import { readFile } from 'node:fs/promises';

/** Pure: btime from /proc/stat's text. */
export function parseBootTime(procStat: string): Date | undefined {
  const match = /^btime (\d+)$/m.exec(procStat);
  return match ? new Date(Number(match[1]) * 1000) : undefined;
}

export async function bootTime(procRoot = '/proc'): Promise<Date | undefined> {
  try {
    return parseBootTime(await readFile(`${procRoot}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
