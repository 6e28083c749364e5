/**
 * The shim's slow path: the sh shim runs this when it cannot decide alone.
 * Exit 0 lets pacman run; SHIM_HANDLED means guard did the work itself (the
 * redirect policy, src/cli/redirect.ts); anything else is the shim's status.
 * Prints nothing when allowing.
 */
import { ExitCode } from '../../exit-codes.js';
import { auditEntry } from '../../audit/entry.js';
import { recordAudit, processName } from '../../audit/record.js';
import { decide, installReasonTargets, isRedirectable, redirectKind } from '../../policy/decide.js';
import { refusalText } from '../../policy/refusal.js';
import { SHIM_HANDLED } from '../../shim/protocol.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import type { Command } from '../command.js';
import type { CommandContext } from '../command.js';
import { policyOrRefuse } from '../policy-or-refuse.js';
import { judge } from '../judge.js';
import { outputAsPacman } from '../pacman-color.js';
import type { Output } from '../../ui/output.js';
// Not from check.js: the refusal path would load that command and its option parser for one constant.
import { DEFAULT_REAL_PACMAN } from '../../system/pacman-version.js';

async function audit(context: CommandContext, output: Output, args: readonly string[], event: string, reason: string): Promise<void> {
  const callerPid = Number(context.env.PACMAN_GUARD_CALLER_PID ?? process.ppid);
  let logFile = '/var/log/pacman.log';
  try {
    logFile = (await readPacmanConfig()).logFile;
  } catch {
    // Keep pacman's default log file.
  }
  const warnings = await recordAudit(auditEntry(context.env, { parent: await processName(callerPid), argv: ['pacman', ...args], event, reason }), { logFile });
  for (const warning of warnings) output.warning(warning);
}

export const shimCheckCommand: Command = {
  name: 'shim-check',
  usage: 'guard shim-check -- <pacman arguments>',
  options: [],
  passesHelpThrough: true,
  async run(context) {
    const separator = context.args.indexOf('--');
    const args = separator === -1 ? context.args : context.args.slice(separator + 1);
    const realPacman = context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN;
    const judgement = await judge(args, { env: context.env, policy: 'refuse', detectVersion: 'when-needed', realPacman });
    if (judgement.verdict.decision === 'allow') return ExitCode.Ok;

    // Only a command the guard would stop, and could redirect, needs the policy file.
    const { command, effect, engagement } = judgement;
    // Speaking for pacman: in pacman's colours for this command line (its --color, its Color).
    const output = await outputAsPacman(context, command);
    const marked = installReasonTargets(command);
    const policy = redirectKind(command) || marked ? await policyOrRefuse(output) : 'refuse';
    const verdict = policy === 'refuse' || !engagement ? judgement.verdict : decide(command, effect, engagement, policy);
    const uid = process.getuid?.() ?? -1;

    if (verdict.decision === 'redirect') {
      const { redirect } = await import('../redirect.js');
      return redirect({ context: { ...context, output }, args, command, verdict, realPacman, audit: (event, reason) => audit(context, output, args, event, reason) });
    }

    // yay and paru mark what they installed; under redirect it is in an extension, whose entries pacman
    // sees read-only: pacman -D cannot write them, so the guard answers for it.
    if (marked && policy === 'redirect' && verdict.exitCode === ExitCode.Refused) {
      // The extension store only here: the refusal path loads no extend machinery.
      const { carryingExtensions, listStore } = await import('../../system/extension-store.js');
      const carriers = carryingExtensions(marked, await listStore());
      if (carriers) {
        const where = [...new Set(carriers.values())].join(', ');
        const reason = `${marked.join(', ')} ${marked.length === 1 ? 'is' : 'are'} in system extensions (${where}), which pacman sees read-only`;
        output.heading(`pacman-guard: ${reason}: the install reason stays as the extension records it (Policy = redirect)`);
        await audit(context, output, args, 'skipped', reason);
        return SHIM_HANDLED;
      }
    }

    // A removal of what only extensions carry: the refusal names the guard commands that take it out.
    const removal = redirectKind(command) === 'remove' && engagement?.known && !command.readsTargetsFromStdin
      ? await import('../redirect.js').then(({ removalAdvice }) => removalAdvice(command.targets))
      : undefined;
    const text = refusalText(verdict, engagement ?? { known: false, reason: verdict.reason }, args, uid === 0, {
      ...(isRedirectable(command) && !command.readsTargetsFromStdin && verdict.exitCode === ExitCode.Refused ? { extend: command.targets } : {}),
      ...(removal ? { removal } : {}),
    });
    output.error(text.message, ...text.details);
    await audit(context, output, args, verdict.exitCode === ExitCode.StateUnknown ? 'refused (state unknown)' : 'refused', verdict.reason);
    return verdict.exitCode;
  },
};
