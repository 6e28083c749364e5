/**
 * `guard hook`: run by libalpm as a PreTransaction hook with AbortOnFail. By
 * then pacman holds the lock, so what matters is where the transaction would
 * write: merged extensions, or a read-only image (inside guard update's
 * maintenance window the image is writable, for that namespace alone). An
 * unreadable state aborts too (fail closed).
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync } from 'node:fs';
import { ExitCode } from '../../exit-codes.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { probeSystem } from '../../system/probe.js';
import { describeReadOnly } from '../../system/image.js';
import type { Command } from '../command.js';

/** The command line of pacman (our parent), for the audit trail. */
async function parentArgv(): Promise<string[]> {
  try {
    return readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return ['(unknown)'];
  }
}

export const hookCommand: Command = {
  name: 'hook',
  usage: 'guard hook',
  options: [],
  async run(context) {
    let dbPath = '/var/lib/pacman';
    let logFile = '/var/log/pacman.log';
    try {
      ({ dbPath, logFile } = await readPacmanConfig());
    } catch {
      // The mount table decides below; the defaults only name the lock.
    }
    const state = await probeSystem({ dbPath, skipTransaction: true });
    let reason: string | undefined;
    if (!state.merged.ok) reason = `cannot tell whether system extensions are merged: ${state.merged.reason}`;
    else if (!state.image.ok) reason = `cannot tell whether the image is read-only: ${state.image.reason}`;
    else if (state.merged.value.length > 0) {
      reason = `system extensions are merged on ${state.merged.value.map((entry) => `${entry.hierarchy} (${entry.extensions.join(', ') || 'unnamed'})`).join(', ')}`;
    } else {
      const readOnly = state.image.value.filter((entry) => entry.readOnly !== undefined);
      if (readOnly.length > 0) reason = readOnly.map(describeReadOnly).join(' and ');
    }
    if (!reason) return ExitCode.Ok;

    // Only an abort needs the refusal's wording and the audit trail: every transaction on a free system runs the lines above.
    const [{ commandLine }, { auditEntry }, { processName, recordAudit }] = await Promise.all([
      import('../../policy/refusal.js'), import('../../audit/entry.js'), import('../../audit/record.js'),
    ]);
    const args = await parentArgv();
    // pacman's own argv, when it is pacman: the same change, in the maintenance window.
    const pacmanArgs = /(^|\/)pacman$/.test(args[0] ?? '') ? args.slice(1) : undefined;
    const known = state.merged.ok && state.image.ok;
    context.output.error(`pacman-guard: aborting the transaction: ${reason}`,
      '  nothing was changed.',
      ...(known
        ? [":: To change the base system, run it in guard update's maintenance window:", `    ${commandLine('guard', ['update', ...(pacmanArgs ?? ['-S', 'PACKAGE'])])}`]
        : [':: Find out what is wrong with:', '    guard status', '    guard doctor']));
    const parent = await processName(process.ppid);
    const warnings = await recordAudit(auditEntry(context.env, {
      parent,
      argv: args,
      event: 'transaction aborted by the hook',
      reason,
    }), { logFile });
    for (const warning of warnings) context.output.warning(warning);
    return ExitCode.Failure;
  },
};
