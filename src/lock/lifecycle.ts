/**
 * systemd-sysext and systemd-confext wrapped in the safe order: lock before
 * merge, unmerge before unlock, so there is never a moment when extensions
 * are merged and pacman's database is writable. A failure midway puts the
 * lock back as it was. While merged, pacman's view of the database
 * (src/system/view.ts) shows the merged system extensions' packages on top
 * of the lock; it follows every step.
 *
 * The lock is held while anything is merged, sysext or confext: pacman writes
 * /etc too (new configuration files, .pacnew, backup files), and a merged
 * confext makes /etc read-only (a failed transaction) or, mutable, takes
 * pacman's writes into a layer its database knows nothing about
 * (docs/merge-state.md). Each command acts on one kind (--confext for /etc),
 * so unmerging one never touches the other.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import { currentMergeState, isMerged, mergedOf, modeInForce, type ExtensionKind, type MergeState, type MutableMode } from '../system/merge-state.js';
import { normalizeDirectory } from '../system/db-lock.js';
import { fitBeforeMerge } from '../fit/check.js';
import { checkExtensionEntries, entriesError, showView, viewAroundSysext, viewOffSteps, type CheckedEntries, type PreparedView, type ViewOutcome } from '../system/view.js';
import { runSysextSteps, type SysextTool, type SysextVerb } from '../system/sysext-steps.js';
import { shownWords } from '../policy/target-list.js';
import { lockDatabase, unlockDatabase, type LockOptions, type LockOutcome, type UnlockOutcome } from './lock.js';
import { RUNTIME_DIR, serialized } from './serialize.js';
import { refuseDuringUpdate } from './update-gate.js';
import { configuredMutableMode, modeVariable } from '../system/unit-environment.js';

export interface LifecycleOptions extends LockOptions {
  /** Warnings (entries pacman is not shown, and why). */
  readonly warn?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** System extensions (/usr, /opt; the default) or configuration extensions (/etc): each is merged on its own. */
  readonly kind?: ExtensionKind;
  /**
   * The mutable mode to merge with. Unset: the mode in force is kept (a
   * refresh of a mutable merge stays mutable), unless the environment names
   * one (SYSTEMD_SYSEXT_MUTABLE_MODE), which systemd then follows.
   */
  readonly mutable?: MutableMode;
  /**
   * false: with nothing of this kind merged and no mode asked for, merge
   * read-only rather than in the mode the unit is configured with. guard
   * update puts back the merge it found: a mutable one by its mode, a
   * read-only one this way (`systemctl show`, asked otherwise, was 16-130 ms
   * of every guard update -Syu in the testbed, strace -tt).
   */
  readonly unitMode?: false;
}

const viewRoot = (options: LifecycleOptions) => `${options.runtimeDir ?? RUNTIME_DIR}/view`;
const viewOptions = (options: LifecycleOptions) => ({ viewRoot: viewRoot(options), ...(options.env ? { env: options.env } : {}) });

/** Before merging: every extension's package entries must be ones pacman reads as intended, or nothing happens. */
async function refuseBadEntries(what: string, options: LifecycleOptions): Promise<CheckedEntries> {
  const checked = await checkExtensionEntries(options.env ?? process.env);
  if (checked.problems.length > 0) throw entriesError(checked.problems, what);
  return checked;
}

function viewLine(outcome: ViewOutcome): string {
  const count = outcome.entries.length;
  if (count === 0) return '';
  return `pacman sees ${count} package${count === 1 ? '' : 's'} from extensions: ${shownWords(outcome.entries.map(({ entry }) => `${entry.name}-${entry.version}`), (word) => word, 10)}`;
}

/** Shows pacman what is merged now; entries it cannot show are warned about, never shown half. */
async function showMerged(dbPath: string, options: LifecycleOptions, checked?: CheckedEntries, prepared?: PreparedView): Promise<string> {
  if (!existsSync(join(dbPath, 'local'))) options.warn?.(`${join(normalizeDirectory(dbPath), 'local')} does not exist yet (a fresh database): pacman sees no base packages, only the extensions'`);
  const outcome = await serialized(() => showView(dbPath, { ...viewOptions(options), ...(checked ? { checked } : {}), ...(prepared ? { prepared } : {}) }), options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});
  for (const problem of outcome.skipped) options.warn?.(`${problem.file}: ${problem.message}: pacman does not see this package`);
  return viewLine(outcome);
}

export type { SysextVerb };

const toolOf = (kind: ExtensionKind): SysextTool => (kind === 'confext' ? 'systemd-confext' : 'systemd-sysext');
const kindOf = (options: LifecycleOptions): ExtensionKind => options.kind ?? 'sysext';

/**
 * The option that keeps a merge's mutable mode: the one asked for, else the
 * one in force (none when the environment names one: systemd-sysext follows
 * it, and an option would override the unit's configuration). 252 knows no
 * --mutable; it never merges mutably either, so it is never passed there.
 */
export function mutableOption(kind: ExtensionKind, state: MergeState | undefined, options: { mutable?: MutableMode; env?: NodeJS.ProcessEnv; unitMode?: false }): string | undefined {
  if (options.mutable) return `--mutable=${options.mutable}`;
  if ((options.env ?? process.env)[modeVariable(kind)]) return undefined;
  // Nothing of this kind merged: the mode the unit is configured with, as its own merge would have.
  const mode = state && (modeInForce(state, kind) ?? (options.unitMode === false ? undefined : configuredMutableMode(kind)));
  return mode && mode !== 'no' ? `--mutable=${mode}` : undefined;
}

/**
 * systemd-sysext (or -confext) VERB alone, keeping the mode in force, for
 * callers that take care of the lock and the view themselves (guard update):
 * to put a merge back as it was, pass the mode read before (modeInForce).
 */
export function systemdSysext(verb: SysextVerb, options: { kind?: ExtensionKind; mutable?: MutableMode; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const kind = options.kind ?? 'sysext';
  const option = verb === 'unmerge' ? undefined : mutableOption(kind, currentMergeState(), options);
  return runSysextSteps({ verb, tool: toolOf(kind), ...(option ? { option } : {}) });
}

/**
 * systemd-sysext merge|refresh with the view's steps in its own process
 * (sysext-steps.ts): the old view off, systemd-sysext, the view built
 * beforehand for the checked extensions on. showMerged afterwards finds that
 * view in place, or builds the right one. A confext carries no packages: its
 * tool runs alone.
 */
async function sysextWithView(verb: 'merge' | 'refresh', dbPath: string, checked: CheckedEntries | undefined, state: MergeState, options: LifecycleOptions): Promise<{ output: string; prepared?: PreparedView }> {
  const kind = kindOf(options);
  const option = mutableOption(kind, state, options);
  const common = { verb, tool: toolOf(kind), ...(option ? { option } : {}) };
  if (kind === 'confext' || !checked) return { output: await runSysextSteps(common) };
  const { steps, prepared } = await viewAroundSysext(dbPath, checked, viewOptions(options));
  return { output: await runSysextSteps({ ...steps, ...common }), ...(prepared ? { prepared } : {}) };
}

/** The lock's part of a merge or unmerge report, in `guard lock`'s and `guard unlock`'s words. */
function lockLine(outcome: LockOutcome | UnlockOutcome, dbPath: string): string {
  return `${outcome}: ${normalizeDirectory(dbPath)}`;
}

/** Why the lock stays after one kind was unmerged: the other kind is still merged. */
function stillLocked(state: MergeState, dbPath: string): string {
  const merged = mergedOf(state);
  const confext = merged.every((entry) => entry.kind === 'confext');
  return `still locked: ${normalizeDirectory(dbPath)}: ${confext ? 'configuration' : 'system'} extensions are merged on ${merged.map((entry) => entry.hierarchy).join(', ')} (guard unmerge${confext ? ' --confext' : ''} unmerges them)`;
}

/** One hold of the guard's lock for a whole lifecycle step: lock, merge and view are one change to the others. */
const whole = <T>(options: LifecycleOptions, work: () => Promise<T>): Promise<T> => serialized(work, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});

export function merge(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  refuseDuringUpdate('not merging');
  return whole(options, () => mergeHeld(dbPath, options));
}

async function mergeHeld(dbPath: string, options: LifecycleOptions): Promise<string> {
  const kind = kindOf(options);
  const checked = kind === 'sysext' ? await refuseBadEntries('not merging', options) : undefined;
  const before = currentMergeState();
  const lock: LockOutcome = await lockDatabase(dbPath, options);
  // The fit, with the base locked (src/fit/check.ts): a held extension still merged goes out by a refresh.
  // Only system extensions carry packages: a confext merge has nothing to fit.
  if (kind === 'sysext' && await fitBeforeMerge(dbPath, options)) return refreshHeld(dbPath, options);
  // systemd-sysext refuses to merge twice; after an interrupted merge the lock and the view are what matter.
  if (isMerged(before, kind)) {
    return [`already merged (guard refresh${kind === 'confext' ? ' --confext' : ''} picks up changed extensions)`, lockLine(lock, dbPath), isMerged(before, 'sysext') ? await showMerged(dbPath, options, checked) : ''].filter(Boolean).join('\n');
  }
  let output: string;
  let prepared: PreparedView | undefined;
  try {
    ({ output, prepared } = await sysextWithView('merge', dbPath, checked, before, options));
  } catch (error) {
    // Back to the state before: unlocked, if this call locked it and nothing got merged.
    if (lock === 'locked' && !isMerged(currentMergeState())) await unlockDatabase(dbPath).catch(() => undefined);
    throw error;
  }
  return [output, lockLine(lock, dbPath), kind === 'sysext' ? await showMerged(dbPath, options, checked, prepared) : ''].filter(Boolean).join('\n');
}

export async function unmerge(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  const kind = kindOf(options);
  refuseDuringUpdate('not unmerging');
  // Unmerged either way (systemd-sysext knows its hierarchies best), but it
  // says nothing when nothing was merged: say it here. An unreadable mount
  // table only costs that sentence.
  let wasMerged = true;
  try {
    wasMerged = isMerged(currentMergeState(), kind);
  } catch {
    // Said nothing, then; the unmerge and the unlock decide on their own.
  }
  return whole(options, async () => {
    // pacman stops seeing the extensions' packages first, so it never sees packages that are gone:
    // in the same process as systemd-sysext unmerge (sysext-steps.ts), before it.
    const view = kind === 'sysext' ? await viewOffSteps(dbPath, { viewRoot: viewRoot(options) }) : {};
    const output = await runSysextSteps({ ...view, verb: 'unmerge', tool: toolOf(kind) });
    const after = currentMergeState();
    // The other kind still merged: the lock stays, and says why.
    const lock = isMerged(after) ? stillLocked(after, dbPath) : lockLine(await unlockDatabase(dbPath, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {}), dbPath);
    return [output || (wasMerged ? '' : 'nothing was merged'), lock].filter(Boolean).join('\n');
  });
}

export function refresh(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  refuseDuringUpdate('not refreshing');
  return whole(options, () => refreshHeld(dbPath, options));
}

async function refreshHeld(dbPath: string, options: LifecycleOptions): Promise<string> {
  const kind = kindOf(options);
  const checked = kind === 'sysext' ? await refuseBadEntries('not refreshing', options) : undefined;
  const before = currentMergeState();
  await lockDatabase(dbPath, options);
  if (kind === 'sysext') await fitBeforeMerge(dbPath, options);
  let output: string;
  let prepared: PreparedView | undefined;
  try {
    ({ output, prepared } = await sysextWithView('refresh', dbPath, checked, before, options));
  } finally {
    // The lock exists for merged extensions: with none left, it goes.
    if (!isMerged(currentMergeState())) await unlockDatabase(dbPath).catch(() => undefined);
  }
  const after = currentMergeState();
  if (!isMerged(after, 'sysext')) return output;
  return [output, await showMerged(dbPath, options, checked, prepared)].filter(Boolean).join('\n');
}

export type SettleOutcome = 'locked: extensions are merged' | 'unlocked: nothing is merged';

/** Makes the lock match the merges: locked while anything is merged, unlocked otherwise (for systemd units). */
export function settle(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  refuseDuringUpdate('not settling');
  return whole(options, () => settleHeld(dbPath, options));
}

async function settleHeld(dbPath: string, options: LifecycleOptions): Promise<string> {
  const state = currentMergeState();
  if (isMerged(state)) {
    await lockDatabase(dbPath, options);
    // An unfit extension merged without the guard (a plain systemd-sysext refresh) goes out, then settle again.
    if (await fitBeforeMerge(dbPath, options)) return refreshHeld(dbPath, options).then(() => settleHeld(dbPath, options));
    const outcome: SettleOutcome = 'locked: extensions are merged';
    // The lock is what matters; pacman's view is secondary and never fails the step
    // (systemd-sysext.service runs it: a failed unit would skip its ExecStop, and keep the lock).
    let shown = '';
    try {
      // Also with only a confext merged: then the view goes.
      shown = await showMerged(dbPath, options);
    } catch (error) {
      options.warn?.(`pacman does not see the merged extensions' packages: ${describeError(error)} (the database stays locked; guard settle tries again)`);
    }
    return [outcome, shown].filter(Boolean).join('\n');
  }
  await unlockDatabase(dbPath);
  return 'unlocked: nothing is merged';
}
