/**
 * `guard update`: the maintenance window in which the base changes on
 * purpose. In order, serialized with lock, merge and extend, each phase
 * written ahead to the update record (src/system/update-record.ts,
 * UPDATE_PHASES) before its step starts:
 *   check (root, the command, the state, no transaction, an image that can be
 *   written) → preparing (the record: what was found, the package set) →
 *   unmerging (unmerge, unlock) → opening → running pacman (in a private mount
 *   namespace where the image is writable for it alone) → closing (the window
 *   read-only again, lock) → checking (extensions that no longer fit held) →
 *   merging → rebuilding → verifying → the record goes.
 * Whatever happens after the record is written (a failure, pacman's refusal,
 * Ctrl-C, SIGTERM, SIGHUP), the system is put back as it was found; a guard
 * killed with -9 or a power loss leaves the record, every command names
 * `guard update --finish`, and --finish redoes the steps from the recorded
 * phase on (each is idempotent). docs/update.md tells the whole story.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:os';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { extend } from '../extend/extend.js';
import { heldTargets } from '../extend/rebuild.js';
import { parsePacmanCommand } from '../pacman/model.js';
import { EXTENSION_STORE, dropHeld, isWorkDirectory, listHeld } from '../system/extension-store.js';
import { merge, systemdSysext } from '../lock/lifecycle.js';
import { currentMergeState, mergedNames, modeInForce } from '../system/merge-state.js';
import { lockDatabase, unlockDatabase, waitForNoTransaction } from '../lock/lock.js';
import { serialized } from '../lock/serialize.js';
import { openUpdate, refuseDuringUpdate, updateOpenError } from '../lock/update-gate.js';
import { describeReadOnly } from '../system/image.js';
import { readPacmanConfig } from '../system/pacman-conf.js';
import { processStartTime } from '../system/process-identity.js';
import { probeSystem, type Probed } from '../system/probe.js';
import { extensionHierarchies } from '../system/sysext.js';
import { describeHolders, probeTransaction } from '../system/transaction.js';
import { UPDATE_PHASES, readLastUpdate, removeUpdateRecord, writeLastUpdate, writeUpdateRecord, type RebuildTarget, type UpdatePhase, type UpdateRecord } from '../system/update-record.js';
import { baseEntries } from '../system/view.js';
import type { Output } from '../ui/output.js';
import { checkExtensions, holdUnfit, type ExtensionCheck } from './extensions.js';
import { updateLog, type UpdateLog } from './log.js';
import { findInCache, rollbackPlan } from './rollback.js';
import { closeWindow, prepareHost, runInWindow } from './window.js';

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

/** The base's packages (local/'s entries, `name-version-release`), sorted: what "the base changed" compares. */
async function basePackageList(dbPath: string): Promise<string[]> {
  return (await baseEntries(dbPath)).sort();
}

/** Pure: whether the base changed between two package lists (sync/ never counts: -Sy, -Sw, "n" change nothing). */
export function baseChanged(before: readonly string[], now: readonly string[]): boolean {
  return before.length !== now.length || before.some((entry, index) => entry !== now[index]);
}

/**
 * Pure: whether the update rebuilds the extensions held before it: when the
 * base changed, or when pacman succeeded at a transaction that installs,
 * upgrades or removes (a -Syu that found nothing to do too). -Sy, -Sw, "n"
 * at the prompt and a failure that changed nothing do not.
 */
export function rebuildsHeld(args: readonly string[], pacmanStatus: number | undefined, changed: boolean): boolean {
  return changed || (pacmanStatus === 0 && parsePacmanCommand(args).changesFiles);
}

/** Both of the guard's locks: nobody locks, merges or extends while the window is open. */
const exclusively = <T>(work: () => Promise<T>) => serialized(() => serialized(work, { lockName: 'extensions', waitMs: 600_000 }));

/** The record as it moves on: each phase written ahead, durably, before its step. */
class Journal {
  constructor(public record: UpdateRecord, private readonly env: NodeJS.ProcessEnv) {}

  enter(phase: UpdatePhase, changes: Partial<UpdateRecord> = {}): void {
    this.record = { ...this.record, ...changes, phase };
    writeUpdateRecord(this.record, { env: this.env });
  }

  note(changes: Partial<UpdateRecord>): void {
    this.enter(this.record.phase, changes);
  }
}

/**
 * From the record's first write to its removal the guard does not die of
 * SIGINT, SIGTERM or SIGHUP: the system is put back first.
 * - SIGINT (Ctrl-C) reaches pacman from the terminal as well, and pacman
 *   acts on it as it would alone (sighandler.c: it interrupts the transaction
 *   between packages and removes db.lck).
 * - SIGTERM and SIGHUP sent to the guard are NOT passed on: pacman dies of
 *   SIGTERM at once (it has no handler for it), leaving db.lck and a half-done
 *   transaction. pacman ends its transaction; the guard records the signal
 *   and puts the system back, then exits with pacman's status.
 * Only SIGKILL (or a power loss) stops the guard; the record stays for
 * `guard update --finish`.
 */
function holdSignals(journal: Journal, output: Output): () => void {
  const onInterrupt = () => output.warning('guard update puts the system back before it exits; wait for it');
  const onSignal = (signal: NodeJS.Signals) => {
    output.warning(`guard update received ${signal}: pacman ends its transaction, then the system is put back before guard exits`);
    try {
      if (!journal.record.signal) journal.note({ signal });
    } catch {
      // The record of the signal is news, not a step: the phases go on being recorded.
    }
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return () => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
}

export function runUpdate(args: readonly string[], options: UpdateOptions): Promise<ExitCode | number> {
  return runWindow({ runs: [args], args, argv: ['guard', 'update', ...args] }, options);
}

/**
 * `guard update --rollback`: undoes the last finished update from pacman's
 * package cache (rollback.ts), in the same window as an update. Refuses
 * before anything changes when a package is not in the cache, naming it.
 */
export async function rollbackUpdate(options: UpdateOptions): Promise<ExitCode | number> {
  const config = await readPacmanConfig();
  refuseDuringUpdate('not rolling back');
  const last = readLastUpdate();
  if (!last) throw new GuardError('there is no finished guard update to roll back', { exitCode: ExitCode.Refused, hints: ['  nothing was changed'] });
  const plan = rollbackPlan(last.packagesBefore, await basePackageList(config.dbPath));
  if (plan.install.length === 0 && plan.remove.length === 0) {
    options.output.line(`nothing to roll back: the base is as it was before the update of ${last.finished} (pacman ${last.args.join(' ')})`);
    return ExitCode.Ok;
  }
  const { files, missing } = findInCache(plan.install, config.cacheDirs);
  if (missing.length > 0) {
    throw new GuardError(`cannot roll back the update of ${last.finished}: not in pacman's package cache: ${missing.join(', ')}`, {
      exitCode: ExitCode.Refused,
      hints: ['  nothing was changed; put the package files in the cache (' + config.cacheDirs.join(', ') + '), then run guard update --rollback again'],
    });
  }
  const runs = [
    ...(files.length > 0 ? [['-U', '--noconfirm', ...files]] : []),
    ...(plan.remove.length > 0 ? [['-R', '--noconfirm', ...plan.remove]] : []),
  ];
  options.output.heading(`Rolling back the update of ${last.finished} (pacman ${last.args.join(' ')}): ${[...plan.install.map((entry) => `install ${entry}`), ...plan.remove.map((name) => `remove ${name}`)].join(', ')}`);
  return runWindow({ runs, args: ['--rollback', ...runs.flatMap((run) => [run[0] ?? '', ...run.slice(2).map((file) => file.split('/').at(-1) ?? file)])], argv: ['guard', 'update', '--rollback'] }, options);
}

interface WindowWork {
  /** pacman's runs, one after another in the window; the first that fails ends them. */
  readonly runs: readonly (readonly string[])[];
  /** What the record and the log name as pacman's arguments. */
  readonly args: readonly string[];
  /** The guard command, for pacman.log. */
  readonly argv: readonly string[];
}

async function runWindow(work: WindowWork, options: UpdateOptions): Promise<ExitCode | number> {
  const { args } = work;
  const config = await readPacmanConfig();
  const hierarchies = extensionHierarchies(options.env, 'sysext');
  // A second update refuses at once, naming the running one, instead of queueing on the guard's lock.
  refuseDuringUpdate('not updating');
  return exclusively(async () => {
    const state = await probeSystem({ dbPath: config.dbPath, hierarchies });
    if (!state.update.ok) throw new GuardError(state.update.reason, { exitCode: ExitCode.StateUnknown, hints: ['  nothing was changed'] });
    if (state.update.value) throw updateOpenError(state.update.value, 'not updating');
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
    const pidStart = processStartTime(process.pid);
    if (pidStart === undefined) throw new GuardError('cannot read this process\'s start time from /proc', { exitCode: ExitCode.StateUnknown });
    const foundMerged = merged.filter((entry) => entry.kind === 'sysext').map((entry) => ({ hierarchy: entry.hierarchy, extensions: entry.extensions }));
    // The modes in force and the confexts are put back as found (a mutable merge stays mutable).
    const mergeState = currentMergeState();
    const sysextMode = modeInForce(mergeState, 'sysext');
    const confextMode = modeInForce(mergeState, 'confext');
    const confexts = mergedNames(mergeState, 'confext');
    const foundConfext = confexts.length > 0 ? { extensions: confexts, ...(confextMode && confextMode !== 'no' ? { mode: confextMode } : {}) } : undefined;
    const journal = new Journal({
      pid: process.pid,
      pidStart,
      started: new Date().toISOString(),
      args,
      found: { merged: foundMerged, locked: dbLock.locked, ...(sysextMode && sysextMode !== 'no' ? { mode: sysextMode } : {}), ...(foundConfext ? { confext: foundConfext } : {}) },
      opened: [],
      packagesBefore: await basePackageList(config.dbPath),
      rebuilding: [],
      phase: 'preparing',
    }, options.env);
    journal.enter('preparing');
    const log = updateLog({ env: options.env, logFile: config.logFile, argv: work.argv, output: options.output });
    await log('update started', describeFound(journal.record));

    const releaseSignals = holdSignals(journal, options.output);
    let pacmanStatus: number = ExitCode.Failure;
    try {
      journal.enter('unmerging');
      if (foundMerged.length > 0) {
        options.output.heading('Unmerging system extensions...');
        await systemdSysext('unmerge');
      }
      if (foundConfext) {
        // pacman writes /etc too (backup files, .pacnew): a confext over it goes for the window.
        options.output.heading('Unmerging configuration extensions...');
        await systemdSysext('unmerge', { kind: 'confext' });
      }
      if (dbLock.locked || foundMerged.length > 0 || foundConfext) await unlockDatabase(config.dbPath);
      // Written ahead: closing the window again is idempotent, so the plan is recorded before the step.
      journal.enter('opening', { opened: toOpen.map((entry) => ({ hierarchy: entry.hierarchy, kind: entry.readOnly === 'superblock' ? 'superblock' : 'mount' })) });
      await prepareHost(toOpen);
      journal.enter('running pacman');
      const where = toOpen.length > 0 ? ` (${toOpen.map((entry) => entry.hierarchy).join(', ')} writable for it alone)` : '';
      for (const run of work.runs) {
        options.output.heading(`Running pacman ${run.join(' ')}${where}`);
        const exit = await runInWindow(toOpen, options.realPacman, run, options.env);
        // The shell's convention for a death by signal: 128 + its number.
        pacmanStatus = exit.signal ? 128 + constants.signals[exit.signal] : exit.code ?? ExitCode.Failure;
        await log('pacman exited', `pacman ${run.join(' ')} exited with status ${pacmanStatus}${journal.record.signal ? ` (guard received ${journal.record.signal} and let it end)` : ''}`);
        if (pacmanStatus !== 0) break;
      }
    } finally {
      journal.record = { ...journal.record, pacmanStatus };
      try {
        const undone = await restore(journal, { ...options, dbPath: config.dbPath, log });
        if (undone.length > 0) options.output.warning(`left undone: ${undone.join('; ')}`);
      } catch (error) {
        throw notPutBack(error);
      } finally {
        releaseSignals();
      }
    }
    return pacmanStatus;
  });
}

/**
 * A step of putting back failed: the system changed (exit 1, never 3, which
 * means refused before anything changed), and the record stays, so that every
 * command names --finish.
 */
function notPutBack(error: unknown): GuardError {
  const hints = error instanceof GuardError ? error.hints.filter((hint) => !/guard (lock|update --finish)/.test(hint)) : [];
  const message = error instanceof GuardError ? error.message : describeError(error);
  return new GuardError(message.startsWith('the system was not put back') ? message : `the system was not put back: ${message}`, {
    exitCode: error instanceof GuardError && error.exitCode === ExitCode.StateUnknown ? ExitCode.StateUnknown : ExitCode.Failure,
    hints: [...hints, '  the update is recorded; every guard command refuses until it is finished:', '    guard update --finish'],
    cause: error,
  });
}

function describeFound(record: UpdateRecord): string {
  const merged = record.found.merged.flatMap((entry) => entry.extensions);
  return [
    merged.length > 0 ? `extensions merged: ${merged.join(', ')}` : 'no extensions merged',
    record.found.locked ? 'database locked' : 'database writable',
    `${record.packagesBefore.length} packages in the base`,
  ].join('; ');
}

/**
 * `guard update --finish`: takes over the record of an interrupted update and
 * redoes its steps from where it stopped; says when it waits for a pacman the
 * window left running. Exits 1 when anything is left undone.
 */
export async function finishUpdate(options: UpdateOptions): Promise<ExitCode> {
  const config = await readPacmanConfig();
  const found = openUpdate();
  if (!found) {
    options.output.line('there is no interrupted guard update to finish');
    return ExitCode.Ok;
  }
  if (found.running) throw updateOpenError(found, 'not finishing');
  return exclusively(async () => {
    const again = openUpdate();
    if (!again) {
      options.output.line('there is no interrupted guard update to finish');
      return ExitCode.Ok;
    }
    if (again.running) throw updateOpenError(again, 'not finishing');
    const { record } = again;
    options.output.heading(`Finishing the guard update of ${record.started} (pid ${record.pid}, interrupted while ${record.phase})...`);
    await waitForWindowPacman(config.dbPath, again.thisBoot, record.phase, options);
    const pidStart = processStartTime(process.pid);
    if (pidStart === undefined) throw new GuardError('cannot read this process\'s start time from /proc', { exitCode: ExitCode.StateUnknown });
    // Taken over: from here on this guard is the update (other commands name it), and a kill leaves the record again.
    const journal = new Journal({ ...record, pid: process.pid, pidStart }, options.env);
    journal.note({});
    const log = updateLog({ env: options.env, logFile: config.logFile, argv: ['guard', 'update', '--finish'], output: options.output });
    await log('update finishing', `the update of ${record.started} (pid ${record.pid}, pacman ${record.args.join(' ')}) was interrupted while ${record.phase}${again.thisBoot ? '' : ', before a reboot'}`);
    const releaseSignals = holdSignals(journal, options.output);
    try {
      const undone = await restore(journal, { ...options, dbPath: config.dbPath, log });
      for (const item of undone) options.output.warning(`left undone: ${item}`);
      return undone.length > 0 ? ExitCode.Failure : ExitCode.Ok;
    } catch (error) {
      throw notPutBack(error);
    } finally {
      releaseSignals();
    }
  });
}

/**
 * pacman may still run in the abandoned window: it finishes first. A db.lck
 * nobody holds after a reboot is that window's pacman's, killed with the
 * machine: it goes (pacman's own advice, when it is sure no pacman runs).
 */
async function waitForWindowPacman(dbPath: string, thisBoot: boolean, phase: UpdatePhase, options: UpdateOptions): Promise<void> {
  const transaction = await probeTransaction(dbPath);
  if (transaction.state === 'stale' && (!thisBoot || phase !== 'running pacman')) {
    options.output.line(`    removing ${transaction.lockFile}: no process holds it; the update's pacman was stopped ${thisBoot ? 'with it' : 'by a reboot'}`);
    await rm(transaction.lockFile, { force: true });
    return;
  }
  if (transaction.state === 'running') options.output.line(`    waiting for pacman to end its transaction: ${describeHolders(transaction)}`);
  await waitForNoTransaction(dbPath, options.waitSeconds ?? 300, 'guard update --finish').catch((error: unknown) => {
    // Its hints name guard lock's --wait; --finish waits by itself.
    if (!(error instanceof GuardError)) throw error;
    throw new GuardError(error.message, { exitCode: error.exitCode, hints: [...error.hints.filter((hint) => hint.includes('rm ')), '  nothing was changed; when it is over, run guard update --finish again'], cause: error });
  });
}

/** Work directories of builds the guard was killed in (`.NAME.pacman-guard-XXXXXX`): nobody else builds while the extensions' lock is held. */
async function removeWorkDirectories(store: string, output: Output): Promise<void> {
  for (const entry of await readdir(store).catch(() => [])) {
    if (!isWorkDirectory(entry)) continue;
    output.line(`    removing ${join(store, entry)}, left by an interrupted build`);
    await rm(join(store, entry), { recursive: true, force: true });
  }
}

/**
 * Closes the window and puts back the lock and the merge the update found,
 * after taking out of use the extensions that no longer fit the new base,
 * then rebuilds what a rebuild mends. Every step is idempotent, so that
 * --finish can redo them all from any recorded phase. The record goes only
 * when the system is verified to be as found. Returns what was left undone.
 */
async function restore(journal: Journal, options: UpdateOptions & { dbPath: string; log: UpdateLog }): Promise<string[]> {
  const store = options.store ?? EXTENSION_STORE;
  const { output, log } = options;
  const found = journal.record.found;
  const wantMerged = found.merged.length > 0;
  const wantLocked = found.locked || wantMerged || found.confext !== undefined;
  // A check that ran to its end is not redone: its holds and its rebuilds are in the store and the
  // record, and after the merge the extensions' own files would look like the base's.
  const checked = UPDATE_PHASES.indexOf(journal.record.phase) > UPDATE_PHASES.indexOf('checking');

  journal.enter('closing');
  await closeWindow(journal.record.opened);
  if (wantLocked) await lockDatabase(options.dbPath);

  journal.enter('checking');
  const packagesNow = await basePackageList(options.dbPath);
  const changed = baseChanged(journal.record.packagesBefore, packagesNow);
  let checks: ExtensionCheck[] = [];
  // Held before this update (--no-rebuild, a rebuild cut short, the fit check): rebuilt against the base it
  // leaves, on a guarded system (locked: a rebuilt extension merges, and merged means locked).
  const heldBefore = !checked && wantLocked && !options.noRebuild && rebuildsHeld(journal.record.args, journal.record.pacmanStatus, changed)
    ? (await heldTargets(store)).map((target) => ({ ...target, held: true })) : [];
  if (wantMerged && changed && !checked) {
    output.heading('Checking system extensions against the new base...');
    checks = await checkExtensions({ store, dbPath: options.dbPath, pacman: options.realPacman });
    const fitChecked = new Set(checks.filter((check) => check.fit).map((check) => check.name));
    const unchecked = new Set(found.merged.flatMap((entry) => entry.extensions).filter((name) => !fitChecked.has(name)));
    for (const name of [...unchecked].sort()) output.line(`    ${name}: not built by guard extend, not checked`);
    for (const check of checks) {
      if (!check.fit) continue;
      else if (check.fit.kind === 'fits') output.line(`    ${check.name}: fits`);
      else if (check.fit.kind === 'rebuild') output.line(`    ${check.name}: needs a rebuild: ${check.fit.reasons.join('; ')}`);
      else output.line(`    ${check.name}: does not fit: ${check.fit.reason}`);
    }
  }
  if (checks.length > 0 || heldBefore.length > 0) {
    // Written ahead of holding them: after a kill, --finish still knows what to rebuild.
    const rebuilding = mergeTargets(journal.record.rebuilding, [...checks.filter((check) => check.fit?.kind === 'rebuild').map(({ name, targets }) => ({ name, targets })), ...heldBefore]);
    journal.note({ rebuilding });
    await holdUnfit(store, checks);
  }

  journal.enter('merging');
  if (wantMerged) {
    output.heading('Merging system extensions...');
    // As found: in its mutable mode, or read-only (the record's mode absent), not in the unit's configured mode.
    await merge(options.dbPath, found.mode ? { mutable: found.mode } : { unitMode: false });
  }
  if (found.confext) {
    output.heading('Merging configuration extensions...');
    await merge(options.dbPath, { kind: 'confext', ...(found.confext.mode ? { mutable: found.confext.mode } : { unitMode: false }) });
  }

  journal.enter('rebuilding');
  const undone: string[] = [];
  await removeWorkDirectories(store, output);
  const rebuilt: string[] = [];
  for (const target of journal.record.rebuilding) {
    if (options.noRebuild) {
      output.warning(`extension ${target.name} is left unmerged (--no-rebuild)`, `  rebuild it: guard extend --rebuild ${target.name} (the next guard update that changes the system does)`);
      continue;
    }
    output.heading(`Rebuilding ${target.held ? 'held ' : ''}extension ${target.name}...`);
    try {
      await extend({ targets: target.targets, name: target.name, env: options.env, realPacman: options.realPacman, progress: (line) => output.line(`    ${line}`) }, store);
      await dropHeld(store, target.name);
      rebuilt.push(target.name);
    } catch (error) {
      if (target.held) {
        // Held it was and held it stays, with its reason (listed below): nothing this update undid.
        output.line(`    still held: ${describeError(error)}`);
        continue;
      }
      output.warning(`extension ${target.name} is left unmerged: its rebuild failed: ${describeError(error)}`);
      undone.push(`the rebuild of extension ${target.name}`);
    }
  }
  if (rebuilt.length > 0) await log('extensions rebuilt', rebuilt.join(', '));
  const held = await listHeld(store);
  for (const extension of held) {
    output.warning(`extension ${extension.name} is not merged: ${extension.reason}`, `  its old tree is kept in ${extension.path}; remove it with: guard extend --remove ${extension.name}`);
  }
  if (held.length > 0) await log('extensions held', held.map((extension) => `${extension.name}: ${extension.reason}`).join('; '));

  journal.enter('verifying', { rebuilding: [] });
  const summary = await verify(journal.record, { dbPath: options.dbPath, wantLocked, held: new Set(held.map((extension) => extension.name)) });
  // What --rollback undoes: kept before the record goes (a kill between the two leaves both; --finish writes it again).
  if (changed) writeLastUpdate({ finished: new Date().toISOString(), args: journal.record.args, packagesBefore: journal.record.packagesBefore, packagesAfter: packagesNow });
  removeUpdateRecord();
  output.heading(`Put back as found: ${summary}`);
  await log('update finished', `${summary}${changed ? '' : '; the base did not change'}`);
  return undone;
}

/**
 * Pure: the recorded rebuilds and the new ones, each name once, the first
 * kept: a check redone by --finish after a kill in the middle of its holds
 * finds those held; they stay what the record says, not "held before".
 */
function mergeTargets(recorded: readonly RebuildTarget[], found: readonly RebuildTarget[]): RebuildTarget[] {
  const byName = new Map<string, RebuildTarget>();
  for (const target of [...recorded, ...found]) if (!byName.has(target.name)) byName.set(target.name, target);
  return [...byName.values()];
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
  const confextNow = new Set(state.merged.value.filter((entry) => entry.kind === 'confext').flatMap((entry) => entry.extensions));
  for (const name of record.found.confext?.extensions ?? []) if (!confextNow.has(name)) problems.push(`configuration extension ${name} is not merged again`);
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
