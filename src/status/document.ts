/**
 * guard status as data: the document `guard status --json` prints, the
 * metrics render and the exit code. Pure: from the probed state alone.
 */
import { shownTime } from '../pacman/timestamp.js';
import { ExitCode } from '../exit-codes.js';
import { shownWords } from '../policy/target-list.js';
import { describeReadOnly } from '../system/image.js';
import { describeWrites } from '../system/merge-state.js';
import { isReadOnly, visibleMount } from '../system/mountinfo.js';
import type { SystemState } from '../system/probe.js';

/** The design's /var: the database is read-only while extensions are merged; the rest stays writable. */
export const VAR_POLICY: readonly { path: string; expected: 'read-only while merged' | 'writable' }[] = [
  { path: '/var/lib/pacman', expected: 'read-only while merged' },
  { path: '/var/cache/pacman', expected: 'writable' },
  { path: '/var/log', expected: 'writable' },
  { path: '/var/tmp', expected: 'writable' },
  { path: '/var/lib/systemd', expected: 'writable' },
];

/** Pure: status as data, and its exit code. */
export function statusDocument(state: SystemState) {
  const merged = state.merged.ok ? state.merged.value : [];
  const lock = state.dbLock.ok ? state.dbLock.value : undefined;
  const problems: string[] = [];
  for (const part of [state.merged, state.dbLock, state.transaction, state.image, state.update]) if (!part.ok && part.reason !== 'not probed') problems.push(part.reason);
  for (const entry of merged) if (entry.problem) problems.push(`${entry.hierarchy}: ${entry.problem}`);
  const isMerged = merged.length > 0;
  const locked = lock?.locked ?? false;
  const unlocked = state.merged.ok && state.dbLock.ok && isMerged && !locked;
  // While an update is open its record is the one problem: settle and lock refuse then, --finish repairs.
  const updateOpen = state.update.ok && state.update.value !== undefined;
  // guard settle, not guard lock: it locks and shows pacman the merged packages too.
  if (unlocked && !updateOpen) problems.push(`extensions are merged but ${state.dbPath} is writable: run guard settle`);
  if (lock?.remountedReadWrite) problems.push(`${state.dbPath} has a self-bind that was remounted read-write`);
  if (lock && lock.selfBinds > 1) problems.push(`${state.dbPath} has ${lock.selfBinds} stacked self-binds; guard unlock removes them`);
  const transaction = state.transaction.ok ? state.transaction.value : undefined;
  const view = state.view.ok ? state.view.value : undefined;
  const mismatch = view?.stale;
  const stale = mismatch !== undefined && (mismatch.notMerged.length > 0 || mismatch.notShown.length > 0);
  if (mismatch && stale && !updateOpen) {
    const parts = [
      ...(mismatch.notMerged.length > 0 ? [`pacman sees ${shownWords(mismatch.notMerged, (word) => word, 5)}, not merged`] : []),
      ...(mismatch.notShown.length > 0 ? [`pacman does not see ${shownWords(mismatch.notShown, (word) => word, 5)}, which merged extensions carry`] : []),
    ];
    problems.push(`pacman's view does not match what is merged (${parts.join('; ')}): run guard settle`);
  }
  if (transaction?.state === 'stale') problems.push(`stale ${transaction.lockFile}: no process holds it (remove it by hand if you are sure)`);

  const mounts = state.mounts.ok ? state.mounts.value : undefined;
  const varTable = VAR_POLICY.map(({ path, expected }) => {
    const mount = mounts && visibleMount(mounts, path);
    return { path, expected, actual: mount ? (isReadOnly(mount) ? 'read-only' : 'writable') : 'unknown' };
  });
  for (const row of varTable) {
    if (row.expected === 'writable' && row.actual === 'read-only') problems.push(`${row.path} is read-only, but must stay writable`);
  }

  const image = state.image.ok ? state.image.value : [];
  const readOnly = image.filter((entry) => entry.readOnly !== undefined);
  const update = state.update.ok ? state.update.value : undefined;
  if (update && !update.running) {
    problems.push(`a guard update (pid ${update.record.pid}, started ${shownTime(update.record.started)}) was interrupted while ${update.record.phase}: run guard update --finish`);
  }

  const known = state.merged.ok && state.dbLock.ok && state.image.ok && state.update.ok;
  const engaged = isMerged || locked || readOnly.length > 0 || update !== undefined;
  const exitCode = !known ? ExitCode.StateUnknown : (unlocked || stale) && !update ? ExitCode.Inconsistent : engaged ? ExitCode.Refused : ExitCode.Ok;
  return {
    document: {
      engaged: known ? engaged : null,
      merged: state.merged.ok ? isMerged : null,
      locked: state.dbLock.ok ? locked : null,
      readOnly: state.image.ok ? readOnly.map((entry) => entry.hierarchy) : null,
      image: image.map((entry) => ({
        hierarchy: entry.hierarchy,
        readOnly: entry.readOnly ?? null,
        description: describeReadOnly(entry),
        fsType: entry.mount.fsType,
      })),
      update: update
        ? { state: update.running ? 'running' : 'interrupted', pid: update.record.pid, started: update.record.started, phase: update.record.phase, args: update.record.args }
        : null,
      hierarchies: merged.map((entry) => ({
        hierarchy: entry.hierarchy,
        kind: entry.kind,
        extensions: entry.extensions,
        since: entry.since?.toISOString() ?? null,
        mutable: entry.mutable,
        mode: entry.mode,
        writesTo: entry.writesTo ?? null,
        confirmed: entry.confirmed,
      })),
      lock: lock ? { dbPath: lock.dbPath, locked: lock.locked, selfBinds: lock.selfBinds, remountedReadWrite: lock.remountedReadWrite } : null,
      view: view ? { mounted: view.mounted, packages: view.packages.map(({ directory, extension }) => ({ package: directory, extension })), stale: mismatch ? stale : null, notMerged: mismatch?.notMerged ?? null, notShown: mismatch?.notShown ?? null } : null,
      transaction: transaction ? { state: transaction.state, lockFile: transaction.lockFile, pids: transaction.holders.map((holder) => holder.pid) } : null,
      var: varTable,
      problems,
      exitCode,
    },
    exitCode,
  };
}

export type StatusDocument = ReturnType<typeof statusDocument>['document'];

