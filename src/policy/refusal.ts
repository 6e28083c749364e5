/**
 * The text of a refusal: what was refused, why, and the exact commands that
 * proceed. Pure, so every variant is tested as text.
 */
import { GUARD_CONFIG_PATH } from '../config/guard-config.js';
import type { Engagement, Verdict } from './decide.js';
import { count, isShortened, shownWords } from './target-list.js';

export interface RefusalText {
  readonly message: string;
  readonly details: readonly string[];
}

/** Quotes one argv word for a shell command the user can paste. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellWord).join(' ');
}

/** A command line to show rather than to paste: its arguments shortened after a few dozen (target-list.ts). */
export function shownCommandLine(program: string, args: readonly string[]): string {
  return [shellWord(program), shownWords(args, shellWord)].filter(Boolean).join(' ');
}

function formatSince(since: Date | undefined): string {
  if (!since) return '';
  const iso = since.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return ` (merged since ${iso})`;
}

/**
 * @param args pacman's arguments as the user gave them
 * @param asRoot whether the user is root already (no `sudo` in the suggestions)
 * @param extendTargets the packages, when `guard extend` could take them instead (the sanctioned path)
 */
export function refusalText(verdict: Verdict, engagement: Engagement, args: readonly string[], asRoot: boolean, extendTargets?: readonly string[]): RefusalText {
  const sudo = asRoot ? '' : 'sudo ';
  const text = refusal(verdict, engagement, 'pacman', args, sudo, sudo);
  if (engagement.known && extendTargets && extendTargets.length > 0) {
    // A long list is shown once, in the message above: here it is only counted.
    const extend = isShortened(extendTargets) ? `guard extend … (the same ${count(extendTargets.length)} targets)` : commandLine('guard', ['extend', ...extendTargets]);
    text.details.push(':: Or build a system extension from them instead of installing:', `    ${sudo}${extend}`);
  }
  return text;
}

/**
 * The refusal of an AUR helper's command line (`yay -S foo`). The helper runs
 * as the user (yay and paru refuse to build as root), so the command to run
 * again carries no `sudo`.
 * @param redirectable the redirect policy would let it run (it only installs)
 */
export function helperRefusalText(verdict: Verdict, engagement: Engagement, helper: string, args: readonly string[], asRoot: boolean, redirectable: boolean): RefusalText {
  const sudo = asRoot ? '' : 'sudo ';
  const text = refusal(verdict, engagement, helper, args, sudo, '');
  if (engagement.known && redirectable) {
    text.details.push(
      `:: Or have what ${helper} installs built into system extensions instead:`,
      `    set 'Policy = redirect' in ${GUARD_CONFIG_PATH}`,
    );
  }
  return text;
}

function refusal(verdict: Verdict, engagement: Engagement, program: string, args: readonly string[], sudo: string, sudoForCommand: string): RefusalText & { details: string[] } {
  // Shown once, shortened when long; the advice to run it again then refers to it.
  const refused = shownCommandLine(program, args);
  const again = isShortened(args) ? `${program} … (the same command, ${count(args.length)} arguments)` : commandLine(program, args);
  if (!engagement.known) {
    return {
      message: `refusing '${refused}' (${verdict.action}): ${verdict.reason}`,
      details: [
        '  pacman-guard refuses changes when it cannot tell the state of the system.',
        ':: Find out what is wrong with:',
        '    guard status',
        '    guard doctor',
      ],
    };
  }
  const details: string[] = [];
  for (const merged of engagement.merged) {
    const names = merged.extensions.length > 0 ? merged.extensions.join(', ') : 'unnamed extensions';
    details.push(`  ${merged.hierarchy}: ${names}${formatSince(merged.since)}${merged.mutable ? ', mutable' : ''}`);
  }
  if (engagement.locked) details.push(`  ${engagement.dbPath}: read-only (locked)`);
  const why = engagement.merged.length > 0
    ? `system extensions are merged, so ${program} would change the image under them`
    : "pacman's database is locked read-only";
  details.push(
    ':: To run it anyway, unmerge the extensions and unlock the database, then run it again:',
    `    ${sudo}guard unmerge`,
    `    ${sudoForCommand}${again}`,
    `    ${sudo}guard merge`,
  );
  return { message: `refusing '${refused}' (${verdict.action}): ${why}`, details };
}
