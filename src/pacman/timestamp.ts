/**
 * Times as pacman writes them in its log (strftime "%FT%T%z"): one format for
 * every time guard shows, beside pacman.log's own lines.
 */

const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, '0');

/** `2026-11-22T15:04:12+0100`: local time with its offset, as in pacman.log. */
export function pacmanTimestamp(time: Date): string {
  const offset = -time.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}${sign}${pad(Math.trunc(offset / 60))}${pad(offset % 60)}`;
}

/**
 * `2026-11-22T15:04:12+0000`: the same format in UTC, for what guard shows on
 * the terminal (a refusal, guard status), whatever TZ says. From the UTC
 * fields: toISOString's first call costs a refusal about 1 ms (measured for
 * the refusal text), the fields nothing.
 * @param time a Date, or an ISO string as a record keeps it (shown as given when unreadable)
 */
export function shownTime(time: Date | string): string {
  const date = typeof time === 'string' ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) return String(time);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}+0000`;
}
