/**
 * `guard hook`: run by libalpm as a PreTransaction hook with AbortOnFail. By
 * then pacman holds the lock, so only merged extensions matter; an unreadable
 * state aborts too (fail closed).
 */
import { readFile } from 'node:fs/promises';
import { auditEntry } from '../../audit/entry.js';
import { processName, recordAudit } from '../../audit/record.js';
import { ExitCode } from '../../exit-codes.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { probeSystem } from '../../system/probe.js';
import type { Command } from '../command.js';

/** The command line of pacman (our parent), for the audit trail. */
async function parentArgv(): Promise<string[]> {
  try {
    return (await readFile(`/proc/${process.ppid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
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
    else if (state.merged.value.length > 0) {
      reason = `system extensions are merged on ${state.merged.value.map((entry) => `${entry.hierarchy} (${entry.extensions.join(', ') || 'unnamed'})`).join(', ')}`;
    }
    if (!reason) return ExitCode.Ok;

    context.output.error(`pacman-guard: aborting the transaction: ${reason}`,
      '  nothing was changed. To change the system, unmerge the extensions and run pacman again:',
      '    guard unmerge',
      '  then merge them again with: guard merge');
    const parent = await processName(process.ppid);
    const warnings = await recordAudit(auditEntry(context.env, {
      parent,
      argv: await parentArgv(),
      event: 'transaction aborted by the hook',
      reason,
    }), { logFile });
    for (const warning of warnings) context.output.warning(warning);
    return ExitCode.Failure;
  },
};
