/**
 * The shim's slow path: the sh shim runs this when it cannot decide alone,
 * and execs pacman only when it exits 0. Prints nothing when allowing.
 */
import { ExitCode } from '../../exit-codes.js';
import { auditEntry } from '../../audit/entry.js';
import { recordAudit, processName } from '../../audit/record.js';
import { refusalText } from '../../policy/refusal.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import type { Command } from '../command.js';
import { judge } from '../judge.js';
import { DEFAULT_REAL_PACMAN } from './check.js';

export const shimCheckCommand: Command = {
  name: 'shim-check',
  usage: 'guard shim-check -- <pacman arguments>',
  options: [],
  passesHelpThrough: true,
  async run(context) {
    const separator = context.args.indexOf('--');
    const args = separator === -1 ? context.args : context.args.slice(separator + 1);
    const judgement = await judge(args, {
      env: context.env,
      policy: 'refuse',
      detectVersion: 'when-needed',
      realPacman: context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN,
    });
    const { verdict } = judgement;
    if (verdict.decision === 'allow') return ExitCode.Ok;

    const uid = process.getuid?.() ?? -1;
    const text = refusalText(verdict, judgement.engagement ?? { known: false, reason: verdict.reason }, args, uid === 0);
    context.output.error(text.message, ...text.details);
    const callerPid = Number(context.env.PACMAN_GUARD_CALLER_PID ?? process.ppid);
    const parent = await processName(callerPid);
    let logFile = '/var/log/pacman.log';
    try {
      logFile = (await readPacmanConfig()).logFile;
    } catch {
      // Keep pacman's default log file.
    }
    const warnings = await recordAudit(auditEntry(context.env, {
      parent,
      argv: ['pacman', ...args],
      event: verdict.exitCode === ExitCode.StateUnknown ? 'refused (state unknown)' : 'refused',
      reason: verdict.reason,
    }), { logFile });
    for (const warning of warnings) context.output.warning(warning);
    return verdict.exitCode;
  },
};
