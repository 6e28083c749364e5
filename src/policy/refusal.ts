/**
 * The text of a refusal: what was refused, why, and the exact commands that
 * proceed. Pure, so every variant is tested as text.
 */
import { GUARD_CONFIG_PATH } from './config.js';
import { parsePacmanCommand, type PacmanCommand } from '../pacman/model.js';
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
      // makepkg names the files it built, wherever PKGDEST puts them and whatever PKGEXT they end in.
      `    ${sudo}guard update -U ${words.map((word) => `$(cd ${word} && makepkg --packagelist)`).join(' ')}`,
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
  // The helper's own way into the base does not exist while engaged: say what guard update can do instead.
  const text = refusal(verdict, engagement, helper, args, sudo, '', helperUpdateLines(helper, base, sudo));
  if (engagement.known && redirectable && (verdict.next === 'update' || verdict.next === 'unlock')) {
    text.details.push(
      `:: Or have what ${helper} installs built into system extensions instead:`,
      `    set 'Policy = redirect' in ${GUARD_CONFIG_PATH}`,
    );
  }
  return text;
}

/** @param updateLines the way into the base for a program other than pacman (guard update runs pacman, not it) */
function refusal(verdict: Verdict, engagement: Engagement, program: string, args: readonly string[], sudo: string, sudoForCommand: string, updateLines?: readonly string[]): RefusalText & { details: string[] } {
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
  // What only writes under /var changes no image: said as what it writes, with commands of its kind.
  const command = program === 'pacman' && next === 'update' && engagement.merged.length > 0 ? parsePacmanCommand(args) : undefined;
  const kind = command && varWriteOf(command);
  if (command && kind) {
    const varRefusal = varWriteRefusal(kind, command, engagement.dbPath, args, again, sudoForCommand);
    details.push(...varRefusal.next);
    return { message: `refusing '${refused}' (${verdict.action}): ${varRefusal.why}`, details };
  }
  if (next === 'update') for (const entry of engagement.readOnly ?? []) details.push(`  ${entry.description}`);
  details.push(...(next === 'update' && updateLines ? updateLines : nextStepLines(next, args, again, sudo, sudoForCommand)));
  return { message: `refusing '${refused}' (${verdict.action}): ${why(verdict, engagement, program)}`, details };
}

/** What a command line writes when it writes nothing under the image: the kinds a refusal names differently. */
export type VarWrite = 'sync databases' | 'files databases' | 'package cache' | 'cache cleaning' | 'local database';

/**
 * Pure: the kind of write of a pacman line that needs the database lock but
 * writes no package files; undefined for anything else. Which part of the
 * database it writes is the model's (PacmanCommand.writesDatabase).
 */
export function varWriteOf(command: PacmanCommand): VarWrite | undefined {
  if (command.outcome !== 'run' || !command.needsLock || command.changesFiles) return undefined;
  const has = (flag: Parameters<PacmanCommand['flags']['get']>[0]) => (command.flags.get(flag) ?? 0) > 0;
  if (command.writesDatabase.includes('local')) return 'local database';
  if (command.operation === 'sync' && has('clean')) return 'cache cleaning';
  if (command.operation === 'sync' && has('downloadonly')) return 'package cache';
  if (command.writesDatabase.includes('sync')) return command.operation === 'files' ? 'files databases' : 'sync databases';
  return undefined;
}

/** For a line that only writes under /var while extensions are merged: what it would write, and the commands that fit that kind. */
function varWriteRefusal(kind: VarWrite, command: PacmanCommand, dbPath: string, args: readonly string[], again: string, sudo: string): { why: string; next: string[] } {
  const locked = `${dbPath}, which is locked read-only while system extensions are merged`;
  const has = (flag: Parameters<PacmanCommand['flags']['get']>[0]) => (command.flags.get(flag) ?? 0) > 0;
  switch (kind) {
    case 'sync databases':
      return {
        why: `it would write the sync databases under ${locked}`,
        next: [
          ':: To see which upgrades are available, checkupdates (pacman-contrib) syncs a private copy:',
          '    checkupdates',
          ':: To install a package from freshly synced databases, build a system extension from it:',
          `    ${sudo}guard extend -y ${command.targets.length > 0 ? command.targets.map(shellWord).join(' ') : 'PACKAGE'}`,
        ],
      };
    case 'files databases':
      return {
        why: `it would write the files databases under ${locked}`,
        next: [
          ':: Search the files databases as they were last synchronized (no lock needed):',
          `    ${commandLine('pacman', ['-F', ...(command.targets.length > 0 ? command.targets : ['FILENAME'])])}`,
        ],
      };
    case 'cache cleaning': {
      const all = (command.flags.get('clean') ?? 0) > 1;
      return {
        why: `it would clean the package cache and remove unused sync databases under ${locked}`,
        next: [
          `:: paccache (pacman-contrib) cleans the cache without pacman's database lock${all ? ' (every cached package)' : ' (packages no longer installed)'}:`,
          ...(all ? [`    ${sudo}paccache -rk0`] : []),
          `    ${sudo}paccache -ruk0`,
        ],
      };
    }
    case 'package cache':
      return {
        why: `it would download into the package cache, taking the database lock under ${locked}${has('refresh') ? ', and write the sync databases there' : ''}`,
        next: [
          ':: To download packages and build a system extension from them:',
          `    ${sudo}guard extend ${has('refresh') ? '-y ' : ''}${command.targets.length > 0 ? command.targets.map(shellWord).join(' ') : 'PACKAGE'}`,
        ],
      };
    case 'local database':
      return {
        why: `it would write the local database (${command.operation === 'database' ? 'install reasons' : 'package entries, no files'}) under ${locked}`,
        next: [
          ":: The database describes the image: change it while nothing is merged, then merge again:",
          `    ${sudo}guard unmerge`,
          `    ${sudo}${again}`,
          `    ${sudo}guard merge`,
        ],
      };
  }
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
function nextStepLines(next: NextStep, args: readonly string[], again: string, sudo: string, sudoForCommand: string): string[] {
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
      // pacman's own line, in the window; other programs bring their updateLines.
      return [":: To change the base system, run it in guard update's maintenance window:",
        `    ${sudo}${isShortened(args) ? `guard update … (the same ${count(args.length)} arguments)` : commandLine('guard', ['update', ...args])}`];
  }
}
