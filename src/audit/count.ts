/**
 * Reading the audit trail back: pacman.log lines written by pacmanLogLine()
 * (entry.ts), counted by kind since a point in time, for the metrics. Pure.
 */
import { LOG_TAG } from './entry.js';

/** The events the shims and the hook record (cli/commands/{shim,helper}-check.ts, hook.ts), by kind. */
export const EVENT_KINDS: Readonly<Record<string, 'refusal' | 'redirect'>> = {
  refused: 'refusal',
  'refused (state unknown)': 'refusal',
  'transaction aborted by the hook': 'refusal',
  redirected: 'redirect',
};

export interface LoggedEvent {
  readonly time: Date;
  readonly event: string;
}

// [2026-11-22T15:04:12+0000] [PACMAN-GUARD] refused 'pacman -S foo' (uid=0): reason
const LINE = new RegExp(String.raw`^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d)(\d\d)\] \[${LOG_TAG}\] ([^']*?) '`);

/** One of our pacman.log lines, or undefined for any other line (pacman's own, or malformed). */
export function parseAuditLine(line: string): LoggedEvent | undefined {
  const match = LINE.exec(line);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes, event] = match as unknown as string[];
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) - offset * 60_000;
  return { time: new Date(utc), event: event! };
}

/**
 * Refusals and redirects logged at or after `since`. pacman's timestamps have
 * whole seconds, so `since` is compared at that resolution.
 */
export function countAuditEvents(logText: string, since: Date): { refusals: number; redirects: number } {
  const counts = { refusals: 0, redirects: 0 };
  const from = Math.floor(since.getTime() / 1000) * 1000;
  for (const line of logText.split('\n')) {
    if (!line.includes(LOG_TAG)) continue;
    const entry = parseAuditLine(line);
    if (!entry || entry.time.getTime() < from) continue;
    const kind = EVENT_KINDS[entry.event];
    if (kind === 'refusal') counts.refusals++;
    else if (kind === 'redirect') counts.redirects++;
  }
  return counts;
}
