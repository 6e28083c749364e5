import { ExitCode } from '../../exit-codes.js';
import { GuardError } from '../../errors.js';
import { isReadOnly, visibleMount } from '../../system/mountinfo.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { probeSystem, type SystemState } from '../../system/probe.js';
import { describeReadOnly } from '../../system/image.js';
import { describeHolders } from '../../system/transaction.js';
import type { Command } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';

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
  // While an update is open its record is the one problem: settle and lock refuse then, --finish repairs.
  const updateOpen = state.update.ok && state.update.value !== undefined;
  if (state.merged.ok && state.dbLock.ok && isMerged && !locked && !updateOpen) problems.push(`extensions are merged but ${state.dbPath} is writable: run guard lock`);
  if (lock?.remountedReadWrite) problems.push(`${state.dbPath} has a self-bind that was remounted read-write`);
  if (lock && lock.selfBinds > 1) problems.push(`${state.dbPath} has ${lock.selfBinds} stacked self-binds; guard unlock removes them`);
  const transaction = state.transaction.ok ? state.transaction.value : undefined;
  const view = state.view.ok ? state.view.value : undefined;
  if (view && view.packages.length > 0 && !isMerged && !updateOpen) problems.push(`pacman sees packages of extensions that are not merged: run guard settle`);
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
    problems.push(`a guard update (pid ${update.record.pid}, started ${update.record.started}) was interrupted while ${update.record.phase}: run guard update --finish`);
  }

  const known = state.merged.ok && state.dbLock.ok && state.image.ok && state.update.ok;
  const engaged = isMerged || locked || readOnly.length > 0 || update !== undefined;
  const exitCode = !known ? ExitCode.StateUnknown : isMerged && !locked && !update ? ExitCode.Inconsistent : engaged ? ExitCode.Refused : ExitCode.Ok;
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
        confirmed: entry.confirmed,
      })),
      lock: lock ? { dbPath: lock.dbPath, locked: lock.locked, selfBinds: lock.selfBinds, remountedReadWrite: lock.remountedReadWrite } : null,
      view: view ? { mounted: view.mounted, packages: view.packages.map(({ directory, extension }) => ({ package: directory, extension })) } : null,
      transaction: transaction ? { state: transaction.state, lockFile: transaction.lockFile, pids: transaction.holders.map((holder) => holder.pid) } : null,
      var: varTable,
      problems,
      exitCode,
    },
    exitCode,
  };
}

export type StatusDocument = ReturnType<typeof statusDocument>['document'];

export const statusCommand: Command = {
  name: 'status',
  usage: 'guard status [--json | --prometheus]',
  options: [
    ['--json', 'print the status as JSON'],
    ['--prometheus', "print the status as Prometheus metrics (node_exporter's textfile format; see guard metrics)"],
  ],
  details: [
    'Exit status: 0 nothing merged, the database writable and the image writable; 3 engaged',
    '(extensions merged, the database locked, the image read-only, or a guard update in',
    'progress or interrupted); 4 the state could not be read; 5 extensions merged while the',
    'database is writable.',
  ].join('\n'),
  async run(context) {
    const { values } = parseCommandOptions(context.args, { json: { type: 'boolean' }, prometheus: { type: 'boolean' } });
    if (values.json && values.prometheus) throw new GuardError('--json and --prometheus exclude each other', { exitCode: ExitCode.Usage });
    let dbPath: string;
    let logFile: string;
    try {
      ({ dbPath, logFile } = await readPacmanConfig());
    } catch (error) {
      if (!(error instanceof GuardError)) throw error;
      context.output.error(error.message);
      return ExitCode.StateUnknown;
    }
    const state = await probeSystem({ dbPath });
    const { document, exitCode } = statusDocument(state);
    if (values.json) {
      context.output.line(JSON.stringify(document, null, 2));
      return exitCode;
    }
    if (values.prometheus) {
      const { prometheusText } = await import('../../metrics/collect.js');
      context.output.line((await prometheusText(document, logFile, context.env)).trimEnd());
      return exitCode;
    }
    const out = context.output;
    out.heading('System extensions');
    if (!state.merged.ok) out.line(`    unknown: ${state.merged.reason}`);
    else if (document.hierarchies.length === 0) out.line('    none merged');
    for (const entry of document.hierarchies) {
      const since = entry.since ? ` (merged since ${entry.since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})` : '';
      out.line(`    ${entry.hierarchy.padEnd(18)}${entry.extensions.join(', ') || '(unnamed)'}${since}${entry.mutable ? ', mutable' : ''}${entry.confirmed ? '' : ', unconfirmed'}`);
    }
    out.heading('Database lock');
    out.line(document.lock
      ? `    ${document.lock.dbPath.padEnd(18)}${document.lock.locked ? 'locked (read-only)' : 'writable'}${document.lock.selfBinds > 0 ? `, ${document.lock.selfBinds} self-bind(s)` : ''}`
      : `    unknown: ${state.dbLock.ok ? '' : state.dbLock.reason}`);
    if (document.view?.mounted) {
      const shown = document.view.packages.map((entry) => `${entry.package}${entry.extension ? ` (${entry.extension})` : ''}`);
      out.line(`    ${''.padEnd(18)}pacman sees ${shown.length} package${shown.length === 1 ? '' : 's'} from extensions: ${shown.join(', ')}`);
    }
    out.heading('Image');
    const image = state.image.ok ? state.image.value : [];
    const update = state.update.ok ? state.update.value : undefined;
    if (!state.image.ok) out.line(`    unknown: ${state.image.reason}`);
    const how = { mount: 'read-only (mount)', superblock: 'read-only (file system)', immutable: 'immutable' } as const;
    for (const entry of image) {
      const because = entry.immutableBecause ? `: ${entry.immutableBecause}` : '';
      out.line(`    ${entry.hierarchy.padEnd(18)}${entry.readOnly === undefined ? 'writable' : how[entry.readOnly]}${because} (${entry.mount.fsType} on ${entry.mount.mountPoint})`);
    }
    if (update) {
      out.heading('guard update');
      out.line(update.running
        ? `    running (pid ${update.record.pid}, since ${update.record.started}): ${update.record.phase}`
        : `    interrupted (pid ${update.record.pid}, started ${update.record.started}) while ${update.record.phase}; finish it: guard update --finish`);
    }
    out.heading('Transaction');
    const transaction = document.transaction;
    out.line(!transaction ? '    unknown'
      : transaction.state === 'none' ? '    none in progress'
      : transaction.state === 'running' ? `    in progress: ${state.transaction.ok ? describeHolders(state.transaction.value) : ''}`
      : `    stale lock file ${transaction.lockFile}: no process holds it`);
    out.heading('/var');
    out.line(`    ${'path'.padEnd(20)}${'design'.padEnd(24)}this system`);
    for (const row of document.var) out.line(`    ${row.path.padEnd(20)}${row.expected.padEnd(24)}${row.actual}`);
    for (const problem of document.problems) out.warning(problem);
    return exitCode;
  },
};
