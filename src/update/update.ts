/**
 * `guard update`: the maintenance window in which the base changes on
 * purpose. In order, serialized with lock, merge and extend:
 *   check (root, the command, the state, no transaction, an image that can be
 *   written) → record what was found in /run → unmerge, unlock → pacman in a
 *   private mount namespace where the image is writable for it alone →
 *   close the window → lock → take extensions that no longer fit out of use →
 *   merge → rebuild what a rebuild can mend → verify → remove the record.
 * Whatever happens after the record is written (a failure, pacman's refusal,
 * Ctrl-C), the system is put back as it was found; a guard killed with -9
 * leaves the record, and `guard update --finish` puts it back.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { extend } from '../extend/extend.js';
import { EXTENSION_STORE, dropHeld, listHeld } from '../extend/store.js';
import { merge, systemdSysext } from '../lock/lifecycle.js';
import { lockDatabase, unlockDatabase, waitForNoTransaction } from '../lock/lock.js';
import { serialized } from '../lock/serialize.js';
import { describeReadOnly } from '../system/image.js';
import { readPacmanConfig } from '../system/pacman-conf.js';
import { probeSystem, type Probed } from '../system/probe.js';
import { describeHolders } from '../system/transaction.js';
import { extensionHierarchies } from '../system/sysext.js';
import type { Output } from '../ui/output.js';
import { checkExtensions, holdUnfit, type ExtensionCheck } from './extensions.js';
import {
  processStartTime, readUpdateRecord, removeUpdateRecord, writeUpdateRecord, type UpdatePhase, type UpdateRecord,
} from './record.js';
import { closeWindow, prepareHost, runInWindow } from './window.js';
import { baseEntries } from '../system/view.js';

export interface UpdateOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly realPacman: string;
  readonly output: Output;
  /** Check extensions against the new base, but do not rebuild them. */
  readonly noRebuild?: boolean;
  /** How long --finish waits for a pacman still running in an abandoned window. */
  readonly waitSeconds?: number;
  readonly store?: string;
}


/** What says whether the base (or the repositories' view of it) changed: local/ and the sync databases. */
async function baseFingerprint(dbPath: string): Promise<string> {
  const hash = createHash('sha256');
  for (const entry of (await baseEntries(dbPath).catch(() => [])).sort()) hash.update(`${entry}\n`);
  for (const entry of (await readdir(join(dbPath, 'sync')).catch(() => [])).sort()) {
    const info = await stat(join(dbPath, 'sync', entry)).catch(() => undefined);
    hash.update(`sync/${entry} ${info?.size ?? ''} ${info?.mtimeMs ?? ''}\n`);
  }
  return hash.digest('hex');
}

/** Both of the guard's locks: nobody locks, merges or extends while the window is open. */
const exclusively = <T>(work: () => Promise<T>) => serialized(() => serialized(work, { lockName: 'extensions', waitMs: 600_000 }));

export async function runUpdate(args: readonly string[], options: UpdateOptions): Promise<ExitCode | number> {
  const config = await readPacmanConfig();
  const hierarchies = extensionHierarchies(options.env, 'sysext');
  return exclusively(async () => {
    const state = await probeSystem({ dbPath: config.dbPath, hierarchies });
    if (!state.update.ok) throw new GuardError(state.update.reason, { exitCode: ExitCode.StateUnknown, hints: ['  nothing was changed'] });
    if (state.update.value) {
      const { record, running } = state.update.value;
      throw running
        ? new GuardError(`guard update (pid ${record.pid}) is already running`, { exitCode: ExitCode.Refused, hints: ['  let it finish; see: guard status'] })
        : new GuardError(`a guard update (pid ${record.pid}, started ${record.started}) was interrupted`, { exitCode: ExitCode.Refused, hints: ['  finish it first: guard update --finish'] });
    }
    const known = <T>(part: Probed<T>): T => {
      if (!part.ok) throw new GuardError(`cannot tell the state of the system: ${part.reason}`, { exitCode: ExitCode.StateUnknown, hints: ['  nothing was changed; see: guard doctor'] });
      return part.value;
    };
    const [merged, dbLock, image, transaction] = [known(state.merged), known(state.dbLock), known(state.image), known(state.transaction)];
    if (transaction.state === 'running') {
      throw new GuardError(`a pacman transaction is in progress: ${describeHolders(transaction)}`, {
        exitCode: ExitCode.Refused, hints: ['  nothing was changed; let it finish, then run guard update again'],
      });
    }
    if (transaction.state === 'stale') {
      throw new GuardError(`${transaction.lockFile} exists but no process holds it (a stale lock file)`, {
        exitCode: ExitCode.Refused, hints: [`  nothing was changed; if no package manager is running, remove it: rm ${transaction.lockFile}`, '  then run guard update again'],
      });
    }
    const immutable = image.filter((entry) => entry.readOnly === 'immutable');
    if (immutable.length > 0) {
      throw new GuardError(`${immutable.map(describeReadOnly).join(' and ')}: pacman cannot change it`, {
        exitCode: ExitCode.Refused,
        hints: ['  nothing was changed. Such a base is updated as a whole new image, not by pacman;', '  add software to it with: guard extend PACKAGE'],
      });
    }

    const toOpen = image.filter((entry) => entry.readOnly === 'mount' || entry.readOnly === 'superblock');
    const pidStart = await processStartTime(process.pid);
    if (pidStart === undefined) throw new GuardError('cannot read this process\'s start time from /proc', { exitCode: ExitCode.StateUnknown });
    let record: UpdateRecord = {
      pid: process.pid,
      pidStart,
      started: new Date().toISOString(),
      args,
      found: {
        merged: merged.filter((entry) => entry.kind === 'sysext').map((entry) => ({ hierarchy: entry.hierarchy, extensions: entry.extensions })),
        locked: dbLock.locked,
      },
      opened: [],
      baseBefore: await baseFingerprint(config.dbPath),
      phase: 'preparing',
    };
    const phase = async (next: UpdatePhase, changes: Partial<UpdateRecord> = {}) => {
      record = { ...record, ...changes, phase: next };
      await writeUpdateRecord(record);
    };
    await phase('preparing');

    // From here on the system is put back whatever happens; Ctrl-C is pacman's to act on.
    const ignoreInterrupt = () => options.output.warning('guard update puts the system back before it exits; wait for it');
    process.on('SIGINT', ignoreInterrupt);
    let pacmanStatus: number = ExitCode.Failure;
    try {
      if (record.found.merged.length > 0) {
        options.output.heading('Unmerging system extensions...');
        await systemdSysext('unmerge');
      }
      if (dbLock.locked || record.found.merged.length > 0) await unlockDatabase(config.dbPath);
      const opened = await prepareHost(toOpen);
      await phase('running pacman', { opened });
      const where = toOpen.length > 0 ? ` (${toOpen.map((entry) => entry.hierarchy).join(', ')} writable for it alone)` : '';
      options.output.heading(`Running pacman ${args.join(' ')}${where}`);
      process.off('SIGINT', ignoreInterrupt);
      const exit = await runInWindow(toOpen, options.realPacman, args, options.env);
      process.on('SIGINT', ignoreInterrupt);
      // The shell's convention for a death by signal: 128 + its number.
      pacmanStatus = exit.signal ? 128 + constants.signals[exit.signal] : exit.code ?? ExitCode.Failure;
    } finally {
      await phase('restoring');
      await restore(record, { ...options, dbPath: config.dbPath });
      process.off('SIGINT', ignoreInterrupt);
    }
    return pacmanStatus;
  });
}

/** `guard update --finish`: puts back what an interrupted guard update found. */
export async function finishUpdate(options: UpdateOptions): Promise<ExitCode> {
  const config = await readPacmanConfig();
  const found = await readUpdateRecord().catch((error: unknown) => {
    throw new GuardError(describeError(error), { exitCode: ExitCode.StateUnknown });
  });
  if (!found) {
    options.output.line('there is no interrupted guard update to finish');
    return ExitCode.Ok;
  }
  if (found.running) {
    throw new GuardError(`guard update (pid ${found.record.pid}) is still running`, { exitCode: ExitCode.Refused, hints: ['  let it finish; see: guard status'] });
  }
  return exclusively(async () => {
    // pacman may still run in the abandoned window: it finishes first, then the window closes.
    options.output.heading(`Finishing the guard update of ${found.record.started} (pid ${found.record.pid}, interrupted while ${found.record.phase})...`);
    await waitForNoTransaction(config.dbPath, options.waitSeconds ?? 300, 'guard update --finish').catch((error: unknown) => {
      // Its hints name guard lock's --wait; --finish waits by itself.
      if (!(error instanceof GuardError)) throw error;
      throw new GuardError(error.message, { exitCode: error.exitCode, hints: ['  nothing was changed; when it is over, run guard update --finish again'], cause: error });
    });
    await restore(found.record, { ...options, dbPath: config.dbPath });
    return ExitCode.Ok;
  });
}

/**
 * Closes the window and puts back the lock and the merge the update found,
 * after taking out of use the extensions that no longer fit the new base.
 * The record goes only when the system is verified to be as found.
 */
async function restore(record: UpdateRecord, options: UpdateOptions & { dbPath: string }): Promise<void> {
  const store = options.store ?? EXTENSION_STORE;
  const { output } = options;
  await closeWindow(record.opened);
  const wantMerged = record.found.merged.length > 0;
  const wantLocked = record.found.locked || wantMerged;
  if (wantLocked) await lockDatabase(options.dbPath);

  let checks: ExtensionCheck[] = [];
  if (wantMerged && (await baseFingerprint(options.dbPath)) !== record.baseBefore) {
    output.heading('Checking system extensions against the new base...');
    checks = await checkExtensions({ store, dbPath: options.dbPath, pacman: options.realPacman });
    const checked = new Set(checks.filter((check) => check.fit).map((check) => check.name));
    const unchecked = new Set(record.found.merged.flatMap((entry) => entry.extensions).filter((name) => !checked.has(name)));
    for (const name of [...unchecked].sort()) output.line(`    ${name}: not built by guard extend, not checked`);
    for (const check of checks) {
      if (!check.fit) continue;
      else if (check.fit.kind === 'fits') output.line(`    ${check.name}: fits`);
      else if (check.fit.kind === 'rebuild') output.line(`    ${check.name}: needs a rebuild: ${check.fit.reasons.join('; ')}`);
      else output.line(`    ${check.name}: does not fit: ${check.fit.reason}`);
    }
    await holdUnfit(store, checks);
  }
  if (wantMerged) {
    output.heading('Merging system extensions...');
    await merge(options.dbPath);
  }
  const rebuilt = new Set<string>();
  for (const check of checks) {
    if (check.fit?.kind !== 'rebuild') continue;
    if (options.noRebuild) {
      output.warning(`extension ${check.name} is left unmerged (--no-rebuild): ${check.fit.reasons.join('; ')}`, `  rebuild it: guard extend --name ${check.name} ${check.targets.join(' ')}`);
      continue;
    }
    output.heading(`Rebuilding extension ${check.name}...`);
    try {
      await extend({ targets: check.targets, name: check.name, env: options.env, realPacman: options.realPacman, progress: (line) => output.line(`    ${line}`) }, store);
      await dropHeld(store, check.name);
      rebuilt.add(check.name);
    } catch (error) {
      output.warning(`extension ${check.name} is left unmerged: its rebuild failed: ${describeError(error)}`);
    }
  }
  const held = await listHeld(store);
  for (const extension of held) {
    output.warning(`extension ${extension.name} is not merged: ${extension.reason}`, `  its old tree is kept in ${extension.path}; remove it with: guard extend --remove ${extension.name}`);
  }
  const summary = await verify(record, { dbPath: options.dbPath, wantLocked, held: new Set(held.map((extension) => extension.name)) });
  await removeUpdateRecord();
  output.heading(`Put back as found: ${summary}`);
}

/** Checks the system is as the update found it (less held extensions), and says so in a few words. */
async function verify(record: UpdateRecord, expected: { dbPath: string; wantLocked: boolean; held: ReadonlySet<string> }): Promise<string> {
  const state = await probeSystem({ dbPath: expected.dbPath, skipTransaction: true });
  if (!state.merged.ok || !state.dbLock.ok || !state.image.ok) {
    throw new GuardError('cannot verify that the system was put back: the mount table cannot be read', { exitCode: ExitCode.StateUnknown, hints: ['  see: guard status; then: guard update --finish'] });
  }
  const problems: string[] = [];
  const mergedNow = new Set(state.merged.value.filter((entry) => entry.kind === 'sysext').flatMap((entry) => entry.extensions));
  const wanted = new Set(record.found.merged.flatMap((entry) => entry.extensions).filter((name) => !expected.held.has(name)));
  for (const name of wanted) if (!mergedNow.has(name)) problems.push(`extension ${name} is not merged again`);
  if (state.dbLock.value.locked !== expected.wantLocked) problems.push(`${expected.dbPath} is ${state.dbLock.value.locked ? 'locked' : 'not locked'}`);
  for (const opened of record.opened) {
    const entry = state.image.value.find((candidate) => candidate.hierarchy === opened.hierarchy);
    if (entry && entry.readOnly === undefined) problems.push(`${opened.hierarchy} is writable`);
  }
  if (problems.length > 0) {
    throw new GuardError(`the system was not put back as guard update found it: ${problems.join('; ')}`, { exitCode: ExitCode.Failure, hints: ['  see: guard status; try again: guard update --finish'] });
  }
  return [
    mergedNow.size > 0 ? `merged ${[...mergedNow].sort().join(', ')}` : 'nothing merged',
    `${state.dbPath} ${expected.wantLocked ? 'locked' : 'writable'}`,
    ...state.image.value.filter((entry) => entry.readOnly).map((entry) => `${entry.hierarchy} read-only`),
  ].join('; ');
}
