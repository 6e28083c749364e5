/**
 * `guard helper-check yay|paru -- ARGS`: the yay and paru shims ask this when
 * the system may be engaged. Exit 0 lets the helper run (exec, same argv);
 * 3 refuses (engaged), 4 refuses because the state is unknown. Prints nothing
 * when allowing. Read-only helper operations never probe anything.
 */
import { auditEntry } from '../../audit/entry.js';
import { processName, recordAudit } from '../../audit/record.js';
import { GuardError, describeError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { classifyHelperCommand, type HelperCommand } from '../../helpers/classify.js';
import { decideHelper } from '../../helpers/decide.js';
import { HELPER_NAMES, type HelperName } from '../../helpers/options.js';
import { parseHelperCommand } from '../../helpers/parse.js';
import { isEngaged, type Engagement } from '../../policy/decide.js';
import { helperRefusalText } from '../../policy/refusal.js';
import { readPacmanConfig, type PacmanConfig } from '../../system/pacman-conf.js';
import { engagementOf, probeSystem } from '../../system/probe.js';
import { createOutput } from '../../ui/output.js';
import type { Command } from '../command.js';
import { resolveColor } from '../global-options.js';
import { actsOnHost } from '../../pacman/location.js';
import { PACMAN_VARIANTS } from '../../pacman/options.js';
import { effectOnHost } from '../judge.js';
import { policyOrRefuse } from '../policy-or-refuse.js';

interface Situation {
  readonly onHost: boolean;
  readonly engagement: Engagement;
  readonly logFile: string;
}

/** Which system the command acts on, and its state (probed only for a command on this one). */
async function situation(command: HelperCommand): Promise<Situation> {
  let host: PacmanConfig;
  try {
    host = await readPacmanConfig();
  } catch (error) {
    return { onHost: true, engagement: { known: false, reason: describeError(error) }, logFile: '/var/log/pacman.log' };
  }
  let onHost = true;
  try {
    // A mutating helper line counts as a transaction that writes everything; every build pacman may be (fail closed).
    onHost = actsOnHost(await effectOnHost({ paths: command.paths, needsLock: true, changesFiles: true, writesDatabase: ['local', 'sync'] }, PACMAN_VARIANTS, host));
  } catch (error) {
    return { onHost, engagement: { known: false, reason: `cannot resolve the command's root and database: ${describeError(error)}` }, logFile: host.logFile };
  }
  if (!onHost) return { onHost, engagement: { known: false, reason: 'not probed' }, logFile: host.logFile };
  const state = await probeSystem({ dbPath: host.dbPath, skipTransaction: true });
  return { onHost, engagement: engagementOf(state), logFile: host.logFile };
}

export const helperCheckCommand: Command = {
  name: 'helper-check',
  usage: `guard helper-check ${HELPER_NAMES.join('|')} -- <helper arguments>`,
  options: [],
  passesHelpThrough: true,
  async run(context) {
    const [helper, ...rest] = context.args;
    if (!HELPER_NAMES.includes(helper as HelperName)) {
      throw new GuardError(`helper-check: expected ${HELPER_NAMES.join(' or ')}, got '${helper ?? ''}'`, { exitCode: ExitCode.Usage });
    }
    const args = rest[0] === '--' ? rest.slice(1) : rest;
    const command = classifyHelperCommand(helper as HelperName, args);
    if (command.effect === 'read-only') return ExitCode.Ok;

    const { onHost, engagement, logFile } = await situation(command);
    // Speaking for the helper: in the colours it would use for this command line (its --color, then pacman.conf's Color).
    const output = createOutput({ color: await resolveColor(command.color, context, command.paths.config), out: context.stdout, err: context.stderr });
    // Only a command the guard would stop, and that could go on under redirect, needs the policy file.
    const policy = onHost && isEngaged(engagement) && command.redirectable ? await policyOrRefuse(output) : 'refuse';
    const verdict = decideHelper(command, onHost, engagement, policy);
    if (verdict.decision === 'allow') return ExitCode.Ok;

    const uid = process.getuid?.() ?? -1;
    const parsed = parseHelperCommand(command.helper, args);
    const sync = parsed.ok && (parsed.command.operation === 'sync' || parsed.command.implied !== undefined) && !command.pacmanArgs;
    const upgrade = parsed.ok && (parsed.command.implied === 'sysupgrade' || parsed.command.options.some((option) => option.name === 'u' || option.name === 'sysupgrade'));
    const base = {
      ...(command.pacmanArgs ? { pacmanArgs: command.pacmanArgs } : {}),
      upgrade,
      targets: sync && parsed.ok ? parsed.command.targets : [],
    };
    const text = helperRefusalText(verdict, engagement, command.helper, args, uid === 0, command.redirectable, base);
    output.error(text.message, ...text.details);
    const parent = await processName(Number(context.env.PACMAN_GUARD_CALLER_PID ?? process.ppid));
    const event = verdict.exitCode === ExitCode.StateUnknown ? 'refused (state unknown)' : 'refused';
    const warnings = await recordAudit(auditEntry(context.env, { parent, argv: [command.helper, ...args], event, reason: verdict.reason }), { logFile });
    for (const warning of warnings) output.warning(warning);
    return verdict.exitCode;
  },
};
