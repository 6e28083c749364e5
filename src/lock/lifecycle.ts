/**
 * systemd-sysext wrapped in the safe order: lock before merge, unmerge before
 * unlock, so there is never a moment when extensions are merged and pacman's
 * database is writable. A failure midway puts the lock back as it was.
 */
import { execa } from 'execa';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readMounts } from '../system/probe.js';
import { extensionOverlays } from '../system/sysext.js';
import { normalizeDirectory } from '../system/db-lock.js';
import { lockDatabase, unlockDatabase, type LockOptions, type LockOutcome, type UnlockOutcome } from './lock.js';

export type SysextVerb = 'merge' | 'unmerge' | 'refresh';

export async function systemdSysext(verb: SysextVerb): Promise<string> {
  try {
    const { stdout, stderr } = await execa('systemd-sysext', [verb], { timeout: 120_000, env: { LC_ALL: 'C' } });
    return [stdout, stderr].filter(Boolean).join('\n');
  } catch (error) {
    const failure = error as { code?: string; stderr?: string; shortMessage?: string };
    if (failure.code === 'ENOENT') throw new GuardError('systemd-sysext is not installed', { exitCode: ExitCode.Failure, cause: error });
    throw new GuardError(`systemd-sysext ${verb} failed: ${failure.stderr?.trim() || failure.shortMessage || String(error)}`, { exitCode: ExitCode.Failure, cause: error });
  }
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

export async function merge(dbPath: string, options: LockOptions = {}): Promise<string> {
  const lock: LockOutcome = await lockDatabase(dbPath, options);
  // systemd-sysext refuses to merge twice; after an interrupted merge the lock is what matters.
  if (await anythingMerged()) return ['already merged (guard refresh picks up changed extensions)', lockLine(lock, dbPath)].join('\n');
  try {
    return [await systemdSysext('merge'), lockLine(lock, dbPath)].filter(Boolean).join('\n');
  } catch (error) {
    // Back to the state before: unlocked, if this call locked it and nothing got merged.
    if (lock === 'locked' && !(await anythingMerged())) await unlockDatabase(dbPath).catch(() => undefined);
    throw error;
  }
}

export async function unmerge(dbPath: string): Promise<string> {
  // Unmerged either way (systemd-sysext knows its hierarchies best), but it
  // says nothing when nothing was merged: say it here. An unreadable mount
  // table only costs that sentence.
  const wasMerged = await anythingMerged().catch(() => true);
  const output = await systemdSysext('unmerge');
  return [output || (wasMerged ? '' : 'nothing was merged'), lockLine(await unlockDatabase(dbPath), dbPath)].filter(Boolean).join('\n');
}

export async function refresh(dbPath: string, options: LockOptions = {}): Promise<string> {
  await lockDatabase(dbPath, options);
  let output: string;
  try {
    output = await systemdSysext('refresh');
  } finally {
    // The lock exists for merged extensions: with none left, it goes.
    if (!(await anythingMerged())) await unlockDatabase(dbPath).catch(() => undefined);
  }
  return output;
}

export type SettleOutcome = 'locked: extensions are merged' | 'unlocked: nothing is merged';

/** Makes the lock match the merges: locked while anything is merged, unlocked otherwise (for systemd units). */
export async function settle(dbPath: string, options: LockOptions = {}): Promise<SettleOutcome> {
  if (await anythingMerged()) {
    await lockDatabase(dbPath, options);
    return 'locked: extensions are merged';
  }
  await unlockDatabase(dbPath);
  return 'unlocked: nothing is merged';
}
