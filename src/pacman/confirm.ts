/**
 * Whether pacman asks before a transaction, and what it makes of the answer
 * (src/pacman/pacman.c and util.c of pacman 6.0–7.1, identical there):
 * - `--noconfirm` and `--confirm` set and clear one switch in the order
 *   given, so the last one wins (parsearg_global: OP_NOCONFIRM, OP_CONFIRM);
 * - `--ask` (noask) and `--print` (except with -Sc) turn confirmation off
 *   after the command line is read, whatever came before;
 * - question(): with noconfirm the question is printed on stdout and answered
 *   with its preset; otherwise it goes to stderr and one line is read from
 *   stdin, terminal or not: end of input is "no", an empty line the preset,
 *   y/yes and n/no (any case) their meaning, anything else "no"; a piped
 *   answer is echoed, since no terminal did it.
 * Pure: the caller brings the words and the line read.
 */
import { getoptLong } from './getopt.js';
import { getoptSpecFor, longCode, NEWEST_PACMAN_VARIANT, type PacmanVariant } from './options.js';
import type { PacmanCommand } from './model.js';

/** True when pacman would ask its questions for this command line; false when --noconfirm (or what implies it) is in force. */
export function pacmanAsks(args: readonly string[], command: Pick<PacmanCommand, 'flags' | 'operation'>, variant: PacmanVariant = NEWEST_PACMAN_VARIANT): boolean {
  const has = (flag: Parameters<PacmanCommand['flags']['get']>[0]) => (command.flags.get(flag) ?? 0) > 0;
  if (has('ask')) return false;
  if (has('print') && !(command.operation === 'sync' && has('clean'))) return false;
  const parsed = getoptLong(getoptSpecFor(variant), args);
  if (!parsed.ok) return true;
  let noconfirm = false;
  for (const option of parsed.options) {
    if (option.code === longCode('noconfirm')) noconfirm = true;
    else if (option.code === longCode('confirm')) noconfirm = false;
  }
  return !noconfirm;
}

/** question()'s reading of one line (undefined: end of input) for a question whose default is `preset`. */
export function answerOf(line: string | undefined, preset: boolean): boolean {
  if (line === undefined) return false;
  // strtrim(): leading and trailing whitespace, the newline among them.
  const response = line.trim();
  if (response === '') return preset;
  const upper = response.toUpperCase();
  if (upper === 'Y' || upper === 'YES') return true;
  return false;
}

/** The prompt as pacman prints it after `:: `: the question and its `[Y/n]` or `[y/N]`, then a space. */
export function promptText(question: string, preset: boolean): string {
  return `${question} ${preset ? '[Y/n]' : '[y/N]'} `;
}
