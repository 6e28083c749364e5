import { ExitCode } from '../../exit-codes.js';
import { GuardError } from '../../errors.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { probeSystem } from '../../system/probe.js';
import { describeWrites } from '../../system/merge-state.js';
import { describeHolders } from '../../system/transaction.js';
import { statusDocument, type StatusDocument } from '../../status/document.js';
import type { Command } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';
import { shownTime } from '../../pacman/timestamp.js';

export type { StatusDocument } from '../../status/document.js';

/**
 * `guard status --short`: the state in one line, and where something is
 * wrong the command that mends it. A renderer of the status document only:
 * the state and the exit code are statusDocument's.
 */
export function shortStatus(document: StatusDocument): string {
  const { update, problems } = document;
  if (update?.state === 'interrupted') return 'update interrupted: guard update --finish';
  if (update?.state === 'running') return `update running (pid ${update.pid}): ${update.phase}`;
  if (document.engaged === null) return `state unknown: ${problems[0] ?? 'cannot read the system'}: guard doctor`;
  const extensions = document.hierarchies.reduce((sum, entry) => sum + Math.max(entry.extensions.length, 1), 0);
  const parts = [
    extensions > 0 ? `${extensions} extension${extensions === 1 ? '' : 's'} merged` : 'nothing merged',
    document.locked ? 'locked' : 'unlocked',
    ...(document.readOnly ?? []).map((hierarchy) => `${hierarchy} read-only`),
  ];
  const more = problems.length > 0 ? `; ${problems.length} problem${problems.length === 1 ? '' : 's'}: guard status` : '';
  if (document.merged && !document.locked) return `merged, unlocked: guard settle${more}`;
  return `${document.engaged ? 'engaged' : 'disengaged'}: ${parts.join(', ')}${more}`;
}

export const statusCommand: Command = {
  name: 'status',
  usage: 'guard status [--short | --json | --prometheus]',
  options: [
    ['--short', 'one line: the state, and the command that mends it where something is wrong'],
    ['--json', 'print the status as JSON'],
    ['--prometheus', "print the status as Prometheus metrics (node_exporter's textfile format; see guard metrics)"],
  ],
  details: [
    'Exit status: 0 nothing merged, the database writable and the image writable; 3 engaged',
    '(extensions merged, the database locked, the image read-only, or a guard update in',
    'progress or interrupted); 4 the state could not be read; 5 extensions merged while the',
    "database is writable, or pacman's view does not match what is merged.",
  ].join('\n'),
  async run(context) {
    const { values } = parseCommandOptions(context.args, { short: { type: 'boolean' }, json: { type: 'boolean' }, prometheus: { type: 'boolean' } });
    if ([values.short, values.json, values.prometheus].filter(Boolean).length > 1) throw new GuardError('--short, --json and --prometheus exclude each other', { exitCode: ExitCode.Usage });
    let dbPath: string;
    let logFile: string;
    try {
      ({ dbPath, logFile } = await readPacmanConfig());
    } catch (error) {
      if (!(error instanceof GuardError)) throw error;
      if (values.short) context.output.line(`state unknown: ${error.message}: guard doctor`);
      else context.output.error(error.message);
      return ExitCode.StateUnknown;
    }
    const state = await probeSystem({ dbPath });
    const { document, exitCode } = statusDocument(state);
    if (values.json) {
      context.output.line(JSON.stringify(document, null, 2));
      return exitCode;
    }
    if (values.short) {
      context.output.line(shortStatus(document));
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
      const since = entry.since ? ` (merged since ${shownTime(entry.since)})` : '';
      out.line(`    ${entry.hierarchy.padEnd(18)}${entry.extensions.join(', ') || '(unnamed)'}${entry.kind === 'confext' ? ' (confext)' : ''}${since}${entry.mode !== 'no' ? `, mutable: ${entry.mode}` : ''}${entry.confirmed ? '' : ', unconfirmed'}`);
    }
    // Where writes would land: somewhere pacman's database knows nothing of, so pacman stays refused.
    for (const entry of state.merged.ok ? state.merged.value : []) {
      const writes = describeWrites(entry);
      if (writes) out.line(`    ${''.padEnd(18)}${writes}; pacman stays refused`);
    }
    out.heading('Database lock');
    out.line(document.lock
      ? `    ${document.lock.dbPath.padEnd(18)}${document.lock.locked ? 'locked (read-only)' : 'writable'}${document.lock.selfBinds > 0 ? `, ${document.lock.selfBinds} self-bind${document.lock.selfBinds === 1 ? '' : 's'}` : ''}`
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
        ? `    running (pid ${update.record.pid}, since ${shownTime(update.record.started)}): ${update.record.phase}`
        : `    interrupted (pid ${update.record.pid}, started ${shownTime(update.record.started)}) while ${update.record.phase}; finish it: guard update --finish`);
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
