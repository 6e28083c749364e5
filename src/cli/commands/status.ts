import { ExitCode } from '../../exit-codes.js';
import { GuardError } from '../../errors.js';
import { isReadOnly, visibleMount } from '../../system/mountinfo.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { probeSystem, type SystemState } from '../../system/probe.js';
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
  for (const part of [state.merged, state.dbLock, state.transaction]) if (!part.ok && part.reason !== 'not probed') problems.push(part.reason);
  for (const entry of merged) if (entry.problem) problems.push(`${entry.hierarchy}: ${entry.problem}`);
  const known = state.merged.ok && state.dbLock.ok;
  const isMerged = merged.length > 0;
  const locked = lock?.locked ?? false;
  if (known && isMerged && !locked) problems.push(`extensions are merged but ${state.dbPath} is writable: run guard lock`);
  if (lock?.remountedReadWrite) problems.push(`${state.dbPath} has a self-bind that was remounted read-write`);
  if (lock && lock.selfBinds > 1) problems.push(`${state.dbPath} has ${lock.selfBinds} stacked self-binds; guard unlock removes them`);
  const transaction = state.transaction.ok ? state.transaction.value : undefined;
  if (transaction?.state === 'stale') problems.push(`stale ${transaction.lockFile}: no pacman is running (remove it by hand if you are sure)`);

  const mounts = state.mounts.ok ? state.mounts.value : undefined;
  const varTable = VAR_POLICY.map(({ path, expected }) => {
    const mount = mounts && visibleMount(mounts, path);
    return { path, expected, actual: mount ? (isReadOnly(mount) ? 'read-only' : 'writable') : 'unknown' };
  });
  for (const row of varTable) {
    if (row.expected === 'writable' && row.actual === 'read-only') problems.push(`${row.path} is read-only, but must stay writable`);
  }

  const exitCode = !known ? ExitCode.StateUnknown : isMerged && !locked ? ExitCode.Inconsistent : isMerged || locked ? ExitCode.Refused : ExitCode.Ok;
  return {
    document: {
      engaged: known ? isMerged || locked : null,
      merged: known ? isMerged : null,
      locked: state.dbLock.ok ? locked : null,
      hierarchies: merged.map((entry) => ({
        hierarchy: entry.hierarchy,
        kind: entry.kind,
        extensions: entry.extensions,
        since: entry.since?.toISOString() ?? null,
        mutable: entry.mutable,
        confirmed: entry.confirmed,
      })),
      lock: lock ? { dbPath: lock.dbPath, locked: lock.locked, selfBinds: lock.selfBinds, remountedReadWrite: lock.remountedReadWrite } : null,
      transaction: transaction ? { state: transaction.state, lockFile: transaction.lockFile, pids: transaction.pacmanProcesses.map((process) => process.pid) } : null,
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
    'Exit status: 0 nothing merged and the database writable; 3 engaged (extensions merged',
    'and/or database locked); 4 the state could not be read; 5 extensions merged while the',
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
    out.heading('Transaction');
    const transaction = document.transaction;
    out.line(!transaction ? '    unknown'
      : transaction.state === 'none' ? '    none in progress'
      : transaction.state === 'running' ? `    in progress (pacman pid ${transaction.pids.join(', ')})`
      : transaction.state === 'stale' ? `    stale lock file ${transaction.lockFile}: no pacman is running`
      : `    pacman is running (pid ${transaction.pids.join(', ')})`);
    out.heading('/var');
    out.line(`    ${'path'.padEnd(20)}${'design'.padEnd(24)}this system`);
    for (const row of document.var) out.line(`    ${row.path.padEnd(20)}${row.expected.padEnd(24)}${row.actual}`);
    for (const problem of document.problems) out.warning(problem);
    return exitCode;
  },
};
