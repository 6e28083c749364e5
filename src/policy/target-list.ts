/**
 * Long argument lists as a person reads them: `pacman -S` with 100,000
 * targets must not become a 2 MB refusal. Pure.
 */

/** Arguments shown before the rest is counted: a few dozen fit a screen. */
export const SHOWN_ARGUMENTS = 40;

/**
 * 99950 → "99,950", whatever the locale. By hand, not toLocaleString: its
 * first call loads ICU's locale data, 26 ms of a `guard merge` that shows a
 * hundred packages (--cpu-prof).
 */
export function count(value: number): string {
  const digits = String(Math.trunc(Math.abs(value)));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return value < 0 ? `-${grouped}` : grouped;
}

/**
 * The words of an argument list as shown: all of them when there are at most
 * `limit`, else the first `limit` and "… and N more".
 * @param quote how one word is written (shell quoting for a command to paste)
 */
export function shownWords(words: readonly string[], quote: (word: string) => string, limit = SHOWN_ARGUMENTS): string {
  const shown = words.slice(0, limit).map(quote);
  if (words.length > limit) shown.push(`… and ${count(words.length - limit)} more`);
  return shown.join(' ');
}

/** Whether a list is shortened when shown. */
export function isShortened(words: readonly unknown[], limit = SHOWN_ARGUMENTS): boolean {
  return words.length > limit;
}
