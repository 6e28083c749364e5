import { auditEntry } from '../../audit/entry.js';
import { recordAudit } from '../../audit/record.js';
import { GuardError, describeError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { merge, refresh, settle, unmerge } from '../../lock/lifecycle.js';
import { lockDatabase, unlockDatabase } from '../../lock/lock.js';
import { normalizeDirectory } from '../../system/db-lock.js';
import type { ExtensionKind } from '../../system/sysext.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import type { Command } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';
import { checkFit } from './fit.js';

/** `--wait` alone waits this long for a running transaction. */
export const DEFAULT_WAIT_SECONDS = 300;

/** `--wait[=SECONDS]`: util.parseArgs has no optional values, so the bare form is rewritten first. */
function waitSeconds(args: readonly string[]): { rest: string[]; wait: number } {
  let wait = 0;
  const rest: string[] = [];
  for (const arg of args) {
    if (arg === '--wait') wait = DEFAULT_WAIT_SECONDS;
    else if (arg.startsWith('--wait=')) {
      const value = Number(arg.slice('--wait='.length));
      if (!Number.isFinite(value) || value < 0) throw new GuardError(`invalid argument '${arg.slice(7)}' for --wait`, { exitCode: ExitCode.Usage, hints: ['  expected a number of seconds'] });
      wait = value;
    } else rest.push(arg);
  }
  return { rest, wait };
}

const dbPath = async () => (await readPacmanConfig()).dbPath;

const lockOnly = databaseCommand('lock', true,
  "Bind-mounts pacman's DBPath onto itself read-only. Idempotent. Never locks under a\nrunning transaction; a stale db.lck is reported, never removed.",
  async (path, wait) => `${await lockDatabase(path, { waitSeconds: wait })}: ${normalizeDirectory(path)}`);

/**
 * `guard lock --fit`: the lock, then guard fit, in one process: the systemd
 * drop-in's one step before systemd-sysext (at boot every node start is on
 * the boot's path; docs/stacks.md, the boot cost). What `guard lock` and
 * `-guard fit` did as two steps: a lock that cannot be taken fails (nothing
 * merges with the database writable); a fit check that cannot run holds what
 * it could not judge, and its failure is a warning, never the unit's.
 */
export const lockCommand: Command = {
  ...lockOnly,
  usage: 'guard lock [--wait[=SECONDS]] [--fit]',
  options: [...lockOnly.options, ['--fit', 'then check the extensions against the base, as guard fit (a failed check only warns)']],
  async run(context) {
    const fit = context.args.includes('--fit');
    const status = await lockOnly.run({ ...context, args: context.args.filter((arg) => arg !== '--fit') });
    if (!fit) return status;
    try {
      await checkFit(context);
    } catch (error) {
      context.output.warning(`the fit check did not run to its end: ${describeError(error)} (the database stays locked)`);
    }
    return status;
  },
};

export const unlockCommand: Command = {
  name: 'unlock',
  usage: 'guard unlock [--force]',
  options: [['--force', 'unlock even while extensions are merged']],
  details: "Removes the guard's read-only bind mounts of DBPath (all of them, if stacked). Idempotent.",
  async run(context) {
    const { values } = parseCommandOptions(context.args, { force: { type: 'boolean' } });
    const path = await dbPath();
    const outcome = await unlockDatabase(path, { force: Boolean(values.force) });
    if (values.force && outcome === 'unlocked') {
      // An override is never silent: said, and written to the audit trail.
      context.output.warning(`${normalizeDirectory(path)} unlocked with --force: pacman can now change the system under merged extensions`);
      const warnings = await recordAudit(auditEntry(context.env, {
        argv: ['guard', 'unlock', '--force'],
        event: 'override',
        reason: 'database unlocked while extensions may be merged',
      }), { logFile: (await readPacmanConfig()).logFile });
      for (const warning of warnings) context.output.warning(warning);
    }
    context.output.line(`${outcome}: ${normalizeDirectory(path)}`);
    return ExitCode.Ok;
  },
};

/** A command that acts on pacman's DBPath, optionally with --wait[=SECONDS] and --confext, and prints one result. */
function databaseCommand(name: string, waits: boolean, details: string, action: (dbPath: string, waitSeconds: number, warn: (line: string) => void, kind: ExtensionKind) => Promise<string>, kinds = false): Command {
  return {
    name,
    usage: `guard ${name}${waits ? ' [--wait[=SECONDS]]' : ''}${kinds ? ' [--confext]' : ''}`,
    options: [
      ...(waits ? [['--wait[=<seconds>]', `wait for a running transaction before locking (bare: ${DEFAULT_WAIT_SECONDS} s)`] as [string, string]] : []),
      ...(kinds ? [['--confext', 'configuration extensions (systemd-confext, /etc) instead of system extensions'] as [string, string]] : []),
    ],
    details,
    async run(context) {
      const { rest, wait } = waitSeconds(context.args);
      if (!waits && wait > 0) throw new GuardError("unknown option '--wait'", { exitCode: ExitCode.Usage });
      const { values } = parseCommandOptions(rest, kinds ? { confext: { type: 'boolean' } } : {});
      const output = await action(await dbPath(), wait, (line) => context.output.warning(line), values.confext ? 'confext' : 'sysext');
      if (output) context.output.line(output);
      return ExitCode.Ok;
    },
  };
}

const KINDS = '\nWith --confext, systemd-confext (/etc) instead; the database stays locked while either is merged.';
export const mergeCommand = databaseCommand('merge', true, "Checks the extensions' package entries, locks the database, runs systemd-sysext merge, then shows pacman\nthe merged packages (read-only). On failure the lock is put back as it was." + KINDS, (path, wait, warn, kind) => merge(path, { waitSeconds: wait, command: `guard merge${kind === 'confext' ? ' --confext' : ''}`, warn, kind }), true);
export const unmergeCommand = databaseCommand('unmerge', false, 'Hides the merged packages from pacman, runs systemd-sysext unmerge, then unlocks the database.' + KINDS, (path, _wait, warn, kind) => unmerge(path, { warn, kind }), true);
export const refreshCommand = databaseCommand('refresh', true, "Checks the extensions' package entries, locks, runs systemd-sysext refresh, shows pacman what is\nmerged, and unlocks only if nothing is merged afterwards. A mutable merge stays mutable." + KINDS, (path, wait, warn, kind) => refresh(path, { waitSeconds: wait, command: `guard refresh${kind === 'confext' ? ' --confext' : ''}`, warn, kind }), true);
export const settleCommand = databaseCommand('settle', true, 'Locks the database and shows pacman the merged packages if extensions (sysext or confext) are merged, unlocks it\notherwise. For the systemd drop-ins; repairs an interrupted merge, unmerge or refresh.', (path, wait, warn) => settle(path, { waitSeconds: wait, command: 'guard settle', warn }));
