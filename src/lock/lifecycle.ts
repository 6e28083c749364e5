/**
 * systemd-sysext wrapped in the safe order: lock before merge, unmerge before
 * unlock, so there is never a moment when extensions are merged and pacman's
 * database is writable. A failure midway puts the lock back as it was. While
 * merged, pacman's view of the database (src/system/view.ts) shows the
 * merged extensions' packages on top of the lock; it follows every step.
 */
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readMounts } from '../system/probe.js';
import { extensionOverlays } from '../system/sysext.js';
import { normalizeDirectory } from '../system/db-lock.js';
import { checkExtensionEntries, entriesError, showView, viewAroundSysext, viewOffSteps, type CheckedEntries, type PreparedView, type ViewOutcome } from '../system/view.js';
import { runSysextSteps, type SysextVerb } from '../system/sysext-steps.js';
import { shownWords } from '../policy/target-list.js';
import { lockDatabase, unlockDatabase, type LockOptions, type LockOutcome, type UnlockOutcome } from './lock.js';
import { RUNTIME_DIR, serialized } from './serialize.js';
import { refuseDuringUpdate } from './update-gate.js';

export interface LifecycleOptions extends LockOptions {
  /** Warnings (entries pacman is not shown, and why). */
  readonly warn?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
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
  const outcome = await serialized(() => showView(dbPath, { ...viewOptions(options), ...(checked ? { checked } : {}), ...(prepared ? { prepared } : {}) }), options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});
  for (const problem of outcome.skipped) options.warn?.(`${problem.file}: ${problem.message}: pacman does not see this package`);
  return viewLine(outcome);
}

export type { SysextVerb };

/** systemd-sysext VERB alone, for callers that take care of the lock and the view themselves (guard update). */
export function systemdSysext(verb: SysextVerb): Promise<string> {
  return runSysextSteps({ verb });
}

/**
 * systemd-sysext merge|refresh with the view's steps in its own process
 * (sysext-steps.ts): the old view off, systemd-sysext, the view built
 * beforehand for the checked extensions on. showMerged afterwards finds that
 * view in place, or builds the right one.
 */
async function sysextWithView(verb: 'merge' | 'refresh', dbPath: string, checked: CheckedEntries, options: LifecycleOptions): Promise<{ output: string; prepared?: PreparedView }> {
  const { steps, prepared } = await viewAroundSysext(dbPath, checked, viewOptions(options));
  return { output: await runSysextSteps({ ...steps, verb }), ...(prepared ? { prepared } : {}) };
}

async function anythingMerged(): Promise<boolean> {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: ExitCode.StateUnknown });
  return extensionOverlays(mounts.value).length > 0;
}

/** The lock's part of a merge or unmerge report, in `guard lock`'s and `guard unlock`'s words. */
function lockLine(outcome: LockOutcome | UnlockOutcome, dbPath: string): string {
  return `${outcome}: ${normalizeDirectory(dbPath)}`;
}

/** One hold of the guard's lock for a whole lifecycle step: lock, merge and view are one change to the others. */
const whole = <T>(options: LifecycleOptions, work: () => Promise<T>): Promise<T> => serialized(work, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});

export function merge(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  refuseDuringUpdate('not merging');
  return whole(options, () => mergeHeld(dbPath, options));
}

async function mergeHeld(dbPath: string, options: LifecycleOptions): Promise<string> {
  const checked = await refuseBadEntries('not merging', options);
  const lock: LockOutcome = await lockDatabase(dbPath, options);
  // systemd-sysext refuses to merge twice; after an interrupted merge the lock and the view are what matter.
  if (await anythingMerged()) return ['already merged (guard refresh picks up changed extensions)', lockLine(lock, dbPath), await showMerged(dbPath, options, checked)].filter(Boolean).join('\n');
  let output: string;
  let prepared: PreparedView | undefined;
  try {
    ({ output, prepared } = await sysextWithView('merge', dbPath, checked, options));
  } catch (error) {
    // Back to the state before: unlocked, if this call locked it and nothing got merged.
    if (lock === 'locked' && !(await anythingMerged())) await unlockDatabase(dbPath).catch(() => undefined);
    throw error;
  }
  return [output, lockLine(lock, dbPath), await showMerged(dbPath, options, checked, prepared)].filter(Boolean).join('\n');
}

export async function unmerge(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  refuseDuringUpdate('not unmerging');
  // Unmerged either way (systemd-sysext knows its hierarchies best), but it
  // says nothing when nothing was merged: say it here. An unreadable mount
  // table only costs that sentence.
  const wasMerged = await anythingMerged().catch(() => true);
  // pacman stops seeing the extensions' packages first, so it never sees packages that are gone:
  // in the same process as systemd-sysext unmerge (sysext-steps.ts), before it.
  const output = await serialized(async () => runSysextSteps({ ...(await viewOffSteps(dbPath, { viewRoot: viewRoot(options) })), verb: 'unmerge' }), options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});
  return [output || (wasMerged ? '' : 'nothing was merged'), lockLine(await unlockDatabase(dbPath, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {}), dbPath)].filter(Boolean).join('\n');
}

export function refresh(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  refuseDuringUpdate('not refreshing');
  return whole(options, () => refreshHeld(dbPath, options));
}

async function refreshHeld(dbPath: string, options: LifecycleOptions): Promise<string> {
  const checked = await refuseBadEntries('not refreshing', options);
  await lockDatabase(dbPath, options);
  let output: string;
  let prepared: PreparedView | undefined;
  try {
    ({ output, prepared } = await sysextWithView('refresh', dbPath, checked, options));
  } finally {
    // The lock exists for merged extensions: with none left, it goes.
    if (!(await anythingMerged())) await unlockDatabase(dbPath).catch(() => undefined);
  }
  if (!(await anythingMerged())) return output;
  return [output, await showMerged(dbPath, options, checked, prepared)].filter(Boolean).join('\n');
}

export type SettleOutcome = 'locked: extensions are merged' | 'unlocked: nothing is merged';

/** Makes the lock match the merges: locked while anything is merged, unlocked otherwise (for systemd units). */
export function settle(dbPath: string, options: LifecycleOptions = {}): Promise<string> {
  refuseDuringUpdate('not settling');
  return whole(options, () => settleHeld(dbPath, options));
}

async function settleHeld(dbPath: string, options: LifecycleOptions): Promise<string> {
  if (await anythingMerged()) {
    await lockDatabase(dbPath, options);
    const outcome: SettleOutcome = 'locked: extensions are merged';
    return [outcome, await showMerged(dbPath, options)].filter(Boolean).join('\n');
  }
  await unlockDatabase(dbPath);
  return 'unlocked: nothing is merged';
}
