/**
 * The text of a refusal: what was refused, why, and the exact commands that
 * proceed. Pure, so every variant is tested as text.
 */
import { GUARD_CONFIG_PATH } from '../config/guard-config.js';
import { shownTime } from '../pacman/timestamp.js';
import type { Engagement, NextStep, Verdict } from './decide.js';
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
  return since ? ` (merged since ${shownTime(since)})` : '';
}

/** Sanctioned alternatives to the refused command, where the caller found them. */
export interface Alternatives {
  /** The packages, when `guard extend` could take them instead of an installation. */
  readonly extend?: readonly string[];
  /** For a removal of packages that only extensions carry: the guard commands that take them out. */
  readonly removal?: readonly (readonly string[])[];
}

/**
 * @param args pacman's arguments as the user gave them
 * @param asRoot whether the user is root already (no `sudo` in the suggestions)
 */
export function refusalText(verdict: Verdict, engagement: Engagement, args: readonly string[], asRoot: boolean, alternatives: Alternatives = {}): RefusalText {
  const sudo = asRoot ? '' : 'sudo ';
  const text = refusal(verdict, engagement, 'pacman', args, sudo, sudo);
  // Not while a guard update's window is open: extend would merge into it.
  const open = verdict.next === 'update' || verdict.next === 'unlock';
  if (engagement.known && open && alternatives.removal && alternatives.removal.length > 0) {
    // pacman's database does not have them: neither unlocking nor guard update would remove them.
    const start = text.details.findIndex((line) => line.startsWith(':: '));
    text.details.splice(start, text.details.length - start,
      ':: They are in system extensions, not in the base; take them out of there:',
      ...alternatives.removal.map((command) => `    ${sudo}${commandLine(command[0]!, command.slice(1))}`));
  }
  if (engagement.known && open && alternatives.extend && alternatives.extend.length > 0) {
    // A long list is shown once, in the message above: here it is only counted.
    const extend = isShortened(alternatives.extend) ? `guard extend … (the same ${count(alternatives.extend.length)} targets)` : commandLine('guard', ['extend', ...alternatives.extend]);
    text.details.push(':: Or build a system extension from them instead of installing:', `    ${sudo}${extend}`);
  }
  return text;
}

/** What a refused helper command would have changed in the base, for advice that works when typed. */
export interface HelperBaseChange {
  /** The pacman command line the helper hands the whole command to (`yay -R foo`). */
  readonly pacmanArgs?: readonly string[];
  /** A system upgrade: bare `yay`, `-Syu`, `-Su`. */
  readonly upgrade: boolean;
  /** Packages to install (repository or AUR). */
  readonly targets: readonly string[];
}

/**
 * guard update is pacman's window, not the helper's: the repositories'
 * upgrade runs there as `guard update -Syu`; an AUR package is built first
 * (`-G` fetches its build files; makepkg runs as the user and changes nothing)
 * and its file installed there with `guard update -U`.
 */
function helperUpdateLines(helper: string, base: HelperBaseChange, sudo: string): string[] {
  if (base.pacmanArgs) {
    return [":: To change the base system, run it in guard update's maintenance window:", `    ${sudo}${commandLine('guard', ['update', ...base.pacmanArgs])}`];
  }
  const lines: string[] = [];
  if (base.upgrade || base.targets.length === 0) {
    lines.push(":: To upgrade the base system from the repositories, run it in guard update's maintenance window:", `    ${sudo}guard update -Syu`);
  }
  if (base.targets.length > 0 && !isShortened(base.targets)) {
    const words = base.targets.map(shellWord);
    lines.push(
      ":: From the repositories: install in guard update's maintenance window:",
      `    ${sudo}${commandLine('guard', ['update', '-S', ...base.targets])}`,
      ':: From the AUR: build, then install the package files in the window:',
      `    ${commandLine(helper, ['-G', ...base.targets])}`,
      ...words.map((word) => `    (cd ${word} && makepkg)`),
      `    ${sudo}guard update -U ${words.map((word) => `${word}/*.pkg.tar.zst`).join(' ')}`,
    );
  }
  return lines;
}

/**
 * The refusal of an AUR helper's command line (`yay -S foo`). The helper runs
 * as the user (yay and paru refuse to build as root), so the command to run
 * again carries no `sudo`.
 * @param redirectable the redirect policy would let it run (it only installs)
 */
export function helperRefusalText(verdict: Verdict, engagement: Engagement, helper: string, args: readonly string[], asRoot: boolean, redirectable: boolean, base: HelperBaseChange = { upgrade: false, targets: [] }): RefusalText {
  const sudo = asRoot ? '' : 'sudo ';
  const text = refusal(verdict, engagement, helper, args, sudo, '');
  if (engagement.known && verdict.next === 'update') {
    // The helper's own way into the base does not exist while engaged: say what guard update can do instead.
    const start = text.details.findIndex((line) => line.startsWith(':: '));
    text.details.splice(start, text.details.length - start, ...helperUpdateLines(helper, base, sudo));
  }
  if (engagement.known && redirectable && (verdict.next === 'update' || verdict.next === 'unlock')) {
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
  // Merged without the lock (guard unlock --force, or a merge outside guard): say that the lock is gone.
  else if (engagement.merged.length > 0) details.push(`  ${engagement.dbPath}: writable: the lock is gone (${sudo}guard settle puts it back)`);
  const next = verdict.next ?? 'update';
  if (next === 'update') for (const entry of engagement.readOnly ?? []) details.push(`  ${entry.description}`);
  details.push(...nextStepLines(next, program, args, again, sudo, sudoForCommand));
  return { message: `refusing '${refused}' (${verdict.action}): ${why(verdict, engagement, program)}`, details };
}

function why(verdict: Verdict, engagement: Extract<Engagement, { known: true }>, program: string): string {
  if (verdict.next === 'wait-for-update' || verdict.next === 'finish-update') return verdict.reason;
  if (engagement.merged.length > 0) return `system extensions are merged, so ${program} would change the image under them`;
  const readOnly = engagement.readOnly ?? [];
  if (verdict.next === 'update' && readOnly.length > 0) {
    return `${readOnly.map((entry) => entry.description).join(' and ')}, so ${program} cannot write package files there`;
  }
  return "pacman's database is locked read-only";
}

/** The commands that proceed, each one true in the state the verdict saw. */
function nextStepLines(next: NextStep, program: string, args: readonly string[], again: string, sudo: string, sudoForCommand: string): string[] {
  switch (next) {
    case 'inspect':
      return [':: Find out what is wrong with:', '    guard status', '    guard doctor'];
    case 'wait-for-update':
      return [':: Let it finish, then run this again; see what it does with:', '    guard status'];
    case 'finish-update':
      return [':: Finish it first: it puts the lock and the merged extensions back as they were:', `    ${sudo}guard update --finish`];
    case 'unlock':
      return [
        ':: Nothing is merged: unlock the database, run it, and lock it again:',
        `    ${sudo}guard unlock`,
        `    ${sudoForCommand}${again}`,
        `    ${sudo}guard lock`,
      ];
    case 'update':
      if (program !== 'pacman') {
        return [
          ":: To change the base system, build the packages, then install them in guard update's maintenance window:",
          `    ${sudo}guard update -U ./NAME-VERSION-ARCH.pkg.tar.zst`,
        ];
      }
      return [":: To change the base system, run it in guard update's maintenance window:",
        `    ${sudo}${isShortened(args) ? `guard update … (the same ${count(args.length)} arguments)` : commandLine('guard', ['update', ...args])}`];
  }
}
