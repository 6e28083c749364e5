/**
 * The system's state as the guard needs it: merged extensions, the database
 * lock, a transaction in progress. Each part is probed separately and says
 * exactly what it could not read, so callers can refuse (fail closed) with a
 * precise reason instead of guessing.
 *
 * Every file read on the paths of the refusal, the hook and guard status is
 * synchronous (readFileSync, statSync, …), here and in the modules they call
 * (the tool cache, the marker, the transaction probe, the audit record …).
 * An awaited read of node:fs/promises is an open, an fstat, a read and a
 * close, each a round trip through libuv's thread pool that wakes the event
 * loop, and there is nothing else to do meanwhile. Measured (issue 16;
 * testbed, 2-core machine under load, 30 interleaved runs, CPU medians as a
 * ratio to a bare node start): guard status 1.27× → 1.19×, the hook
 * (disengaged) 1.27× → 1.11×, the refusal through the shim 1.33× → 1.28×;
 * thread-pool wakeups (eventfd writes, strace) of guard status 46 → 10, of
 * the engaged hook 55 → 9.
 */
import { readFileSync } from 'node:fs';
import { describeError } from '../errors.js';
import type { Engagement } from '../policy/decide.js';
import { dbLockState, normalizeDirectory, type DbLockState } from './db-lock.js';
import { describeReadOnly, imageHierarchies, type ImageHierarchy } from './image.js';
import { parseMountinfo, type MountEntry } from './mountinfo.js';
import { extensionHierarchies } from './sysext.js';
import { readMergeState, type MergedHierarchy } from './merge-state.js';
import { probeTransaction, type TransactionState } from './transaction.js';
import { readUpdateRecord, type UpdateInProgress } from './update-record.js';
import { describeView, type ViewState } from './view-state.js';

export type Probed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface SystemState {
  readonly dbPath: string;
  readonly mounts: Probed<readonly MountEntry[]>;
  readonly merged: Probed<readonly MergedHierarchy[]>;
  readonly dbLock: Probed<DbLockState>;
  readonly transaction: Probed<TransactionState>;
  /** The hierarchies pacman writes package files into, and whether each is read-only. */
  readonly image: Probed<readonly ImageHierarchy[]>;
  /** A `guard update` whose record exists: running, or interrupted. */
  readonly update: Probed<UpdateInProgress | undefined>;
  /** Which extension packages pacman's view of the database shows. */
  readonly view: Probed<ViewState>;
}

export interface ProbeOptions {
  /** pacman's DBPath (from pacman-conf). */
  readonly dbPath: string;
  readonly mountinfoPath?: string;
  readonly procRoot?: string;
  /** Skip the /proc scan for running pacman processes (the shim does not need it). */
  readonly skipTransaction?: boolean;
  /** Hierarchies of the image (default: systemd-sysext's, from SYSTEMD_SYSEXT_HIERARCHIES). */
  readonly hierarchies?: readonly string[];
  readonly updateRecordPath?: string;
}

const failed = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

export async function readMounts(path = '/proc/self/mountinfo'): Promise<Probed<MountEntry[]>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return failed(`cannot read ${path}: ${describeError(error)}`);
  }
  try {
    return { ok: true, value: parseMountinfo(text) };
  } catch (error) {
    return failed(`cannot parse ${path}: ${describeError(error)}`);
  }
}

export async function probeSystem(options: ProbeOptions): Promise<SystemState> {
  const dbPath = normalizeDirectory(options.dbPath);
  const mounts = await readMounts(options.mountinfoPath);
  const [merged, transaction] = await Promise.all([
    mounts.ok
      ? Promise.resolve<Probed<readonly MergedHierarchy[]>>({ ok: true, value: readMergeState(mounts.value).hierarchies })
      : Promise.resolve(failed(mounts.reason)),
    options.skipTransaction
      ? Promise.resolve(failed('not probed'))
      : probeTransaction(dbPath, options.procRoot).then(
          (value): Probed<TransactionState> => ({ ok: true, value }),
          (error: unknown) => failed(`cannot look for running pacman processes: ${describeError(error)}`),
        ),
  ]);
  const dbLock: Probed<DbLockState> = mounts.ok ? { ok: true, value: dbLockState(mounts.value, dbPath) } : failed(mounts.reason);
  const [image, update, view] = await Promise.all([
    mounts.ok ? probeImage(mounts.value, options.hierarchies ?? extensionHierarchies(process.env, 'sysext')) : Promise.resolve(failed(mounts.reason)),
    probeUpdate(options),
    mounts.ok
      ? describeView(mounts.value, dbPath, merged.ok ? { extensions: new Set(merged.value.filter((entry) => entry.kind === 'sysext').flatMap((entry) => entry.extensions)), locked: dbLock.ok && dbLock.value.locked } : undefined).then(
          (value): Probed<ViewState> => ({ ok: true, value }),
          (error: unknown) => failed(`cannot read pacman's view of the merged packages: ${describeError(error)}`),
        )
      : Promise.resolve(failed(mounts.reason)),
  ]);
  return { dbPath, mounts, merged, dbLock, transaction, image, update, view };
}

/** The update record (src/system/update-record.ts): the one reader every command goes through. */
function probeUpdate(options: ProbeOptions): Promise<Probed<UpdateInProgress | undefined>> {
  try {
    return Promise.resolve({ ok: true, value: readUpdateRecord({ ...(options.updateRecordPath ? { path: options.updateRecordPath } : {}), ...(options.procRoot ? { procRoot: options.procRoot } : {}) }) });
  } catch (error) {
    return Promise.resolve(failed(`cannot tell whether a guard update is in progress: ${describeError(error)}`));
  }
}

/** dm-verity shows only in sysfs: asked for the read-only hierarchies' devices alone, a read each. */
async function verityDevices(devices: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  await Promise.all(devices.map(async (device) => {
    let uuid = '';
    try {
      uuid = readFileSync(`/sys/dev/block/${device}/dm/uuid`, 'utf8');
    } catch {
      // No dm device (or none readable): not dm-verity.
    }
    if (uuid.startsWith('CRYPT-VERITY-')) found.add(device);
  }));
  return found;
}

async function probeImage(mounts: readonly MountEntry[], hierarchies: readonly string[]): Promise<Probed<ImageHierarchy[]>> {
  const first = imageHierarchies(mounts, hierarchies);
  const readOnlyDevices = first.filter((entry) => entry.readOnly !== undefined && entry.readOnly !== 'immutable').map((entry) => entry.mount.device);
  if (readOnlyDevices.length === 0) return { ok: true, value: first };
  return { ok: true, value: imageHierarchies(mounts, hierarchies, await verityDevices(readOnlyDevices)) };
}

/** Pure: what the policy needs from the state. Unknown when either part could not be read. */
export function engagementOf(state: SystemState): Engagement {
  if (!state.merged.ok) return { known: false, reason: state.merged.reason };
  if (!state.dbLock.ok) return { known: false, reason: state.dbLock.reason };
  if (!state.image.ok) return { known: false, reason: state.image.reason };
  if (!state.update.ok) return { known: false, reason: state.update.reason };
  const readOnly = state.image.value.filter((entry) => entry.readOnly !== undefined).map((entry) => ({ hierarchy: entry.hierarchy, description: describeReadOnly(entry) }));
  const update = state.update.value;
  return {
    ...(readOnly.length > 0 ? { readOnly } : {}),
    ...(update ? { update: { pid: update.record.pid, started: update.record.started, running: update.running } } : {}),
    known: true,
    merged: state.merged.value.map((entry) => ({
      hierarchy: entry.hierarchy,
      extensions: entry.extensions,
      ...(entry.since ? { since: entry.since } : {}),
      mutable: entry.mutable,
    })),
    locked: state.dbLock.value.locked,
    dbPath: state.dbPath,
  };
}
