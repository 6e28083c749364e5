/**
 * The design's lock: pacman's DBPath bind-mounted onto itself and remounted
 * read-only, so pacman fails at once (it cannot create db.lck) with no
 * database writes, no hooks and no partial state. And its reversal.
 */
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { dbLockState, normalizeDirectory, type DbLockState } from '../system/db-lock.js';
import { bindOntoItself, keptFlags, remountBind, unmountTop } from '../system/mount.js';
import type { MountEntry } from '../system/mountinfo.js';
import { readMounts } from '../system/probe.js';
import { mergedOf, readMergeState } from '../system/merge-state.js';
import { describeHolders, probeTransaction, type TransactionState } from '../system/transaction.js';
import { hideView } from '../system/view.js';
import { serialized } from './serialize.js';
import { refuseDuringUpdate } from './update-gate.js';

export interface LockOptions {
  /** Seconds to wait for a running transaction to finish; 0 refuses at once. */
  readonly waitSeconds?: number;
  readonly runtimeDir?: string;
  /** The command that is locking (`guard merge`, …), named in the advice to run it again; default `guard lock`. */
  readonly command?: string;
}

async function currentMounts(): Promise<MountEntry[]> {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: ExitCode.StateUnknown, hints: ['  nothing was changed'] });
  return mounts.value;
}

async function lockState(dbPath: string): Promise<DbLockState> {
  return dbLockState(await currentMounts(), dbPath);
}

async function requireDirectory(dbPath: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dbPath)).isDirectory();
  } catch (error) {
    throw new GuardError(`cannot use pacman's DBPath ${dbPath}: ${describeError(error)}`, { exitCode: ExitCode.Failure, hints: ['  nothing was changed'] });
  }
  if (!isDirectory) throw new GuardError(`pacman's DBPath ${dbPath} is not a directory`, { exitCode: ExitCode.Failure, hints: ['  nothing was changed'] });
}

function busy(transaction: TransactionState): string | undefined {
  switch (transaction.state) {
    case 'running':
      return `a pacman transaction is in progress: ${describeHolders(transaction)}`;
    case 'stale':
      return `${transaction.lockFile} exists but no process holds it (a stale lock file)`;
    case 'none':
      return undefined;
  }
}

/** Waits until no transaction runs, or throws; a stale db.lck is never waited out or removed. */
export async function waitForNoTransaction(dbPath: string, waitSeconds: number, command: string): Promise<void> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const transaction = await probeTransaction(dbPath);
    const reason = busy(transaction);
    if (!reason) return;
    if (transaction.state === 'stale') {
      throw new GuardError(`not locking: ${reason}`, {
        exitCode: ExitCode.Refused,
        hints: [`  if no package manager is running, remove it: rm ${transaction.lockFile}`, `  then run ${command} again`],
      });
    }
    if (Date.now() >= deadline) {
      throw new GuardError(`not locking under a running transaction: ${reason}`, {
        exitCode: ExitCode.Refused,
        hints: [`  let it finish, or wait for it: ${command} --wait`],
      });
    }
    await sleep(200);
  }
}

export type LockOutcome = 'locked' | 'already locked' | 'relocked';

export async function lockDatabase(dbPathInput: string, options: LockOptions = {}): Promise<LockOutcome> {
  const dbPath = normalizeDirectory(dbPathInput);
  refuseDuringUpdate('not locking');
  await requireDirectory(dbPath);
  return serialized(async () => {
    const before = await lockState(dbPath);
    if (before.locked && before.selfBinds > 0) return 'already locked';
    const flags = keptFlags(before.underlying?.mountOptions ?? []);
    if (before.remountedReadWrite) {
      // A self-bind left writable (a killed guard, or remount,rw by hand): make it the lock again.
      await remountBind(dbPath, 'ro', flags);
      await verifyLocked(dbPath, before.selfBinds);
      return 'relocked';
    }
    await waitForNoTransaction(dbPath, options.waitSeconds ?? 0, options.command ?? 'guard lock');
    await bindOntoItself(dbPath);
    try {
      await remountBind(dbPath, 'ro', flags);
      // pacman may have taken db.lck between the check and the remount: then undo, never leave it half-locked.
      const reason = busy(await probeTransaction(dbPath));
      if (reason) throw new GuardError(`not locking: ${reason} started while locking`, { exitCode: ExitCode.Refused, hints: [`  the lock was undone; try again: ${options.command ?? 'guard lock'} --wait`] });
    } catch (error) {
      await unmountTop(dbPath).catch(() => undefined);
      throw error;
    }
    await verifyLocked(dbPath, before.selfBinds + 1);
    return 'locked';
  }, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});
}

async function verifyLocked(dbPath: string, selfBinds: number): Promise<void> {
  const after = await lockState(dbPath);
  if (!after.locked || after.selfBinds !== selfBinds) {
    throw new GuardError(`locking ${dbPath} did not take: the mount table shows ${after.selfBinds} self-bind${after.selfBinds === 1 ? '' : 's'}, ${after.locked ? 'read-only' : 'writable'}`, { exitCode: ExitCode.Failure, hints: ['  check: guard status'] });
  }
}

export interface UnlockOptions {
  /** Unlock even while extensions are merged. */
  readonly force?: boolean;
  readonly runtimeDir?: string;
}

export type UnlockOutcome = 'unlocked' | 'not locked';

export async function unlockDatabase(dbPathInput: string, options: UnlockOptions = {}): Promise<UnlockOutcome> {
  const dbPath = normalizeDirectory(dbPathInput);
  refuseDuringUpdate('not unlocking');
  return serialized(async () => {
    const mounts = await currentMounts();
    const merged = mergedOf(readMergeState(mounts));
    if (merged.length > 0 && !options.force) {
      const kinds = [...new Set(merged.map((entry) => entry.kind))];
      throw new GuardError(`not unlocking ${dbPath}: ${kinds.includes('sysext') ? 'system' : 'configuration'} extensions are merged on ${merged.map((entry) => entry.hierarchy).join(', ')}`, {
        exitCode: ExitCode.Refused,
        hints: ['  pacman must not run while extensions are merged; unmerge first (this also unlocks):', ...kinds.map((kind) => `    guard unmerge${kind === 'confext' ? ' --confext' : ''}`), '  or unlock anyway: guard unlock --force'],
      });
    }
    let state = dbLockState(mounts, dbPath);
    if (state.selfBinds === 0 && !state.view) return 'not locked';
    // Remove exactly the guard's mounts, top down: pacman's view of merged packages (every one: a view
    // mounted while another guard's was still on, or a copy mount propagation left) and the self-binds,
    // and nothing that someone else mounted above them.
    for (let step = 0; state.selfBinds > 0 || state.view; step++) {
      // Each step unmounts one mount; a table that does not change under that is not the guard's to fight.
      if (step >= 64) throw new GuardError(`not unlocking: ${dbPath} keeps a mount of pacman-guard's on top after ${step} unmounts`, { exitCode: ExitCode.Failure, hints: ['  see: findmnt ' + dbPath] });
      if (state.view) {
        await hideView(dbPath, options.runtimeDir ? { viewRoot: `${options.runtimeDir}/view` } : {});
        state = await lockState(dbPath);
        continue;
      }
      if (!state.topSelfBind || state.topSelfBind !== state.stackTop) {
        throw new GuardError(`not unlocking: a mount that is not pacman-guard's lock is on top of ${dbPath}`, { exitCode: ExitCode.Failure, hints: ['  unmount it first; see: findmnt ' + dbPath] });
      }
      await unmountTop(dbPath);
      state = await lockState(dbPath);
    }
    return 'unlocked';
  }, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});
}
