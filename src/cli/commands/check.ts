import { GuardError } from '../../errors.js';
import type { ExitCode } from '../../exit-codes.js';
import { ExitCode as Codes } from '../../exit-codes.js';
import { decide, installReasonTargets, redirectKind } from '../../policy/decide.js';
import { commandLine } from '../../policy/refusal.js';
import type { Command } from '../command.js';
import { judge, type Judgement } from '../judge.js';
import { parseCommandOptions } from '../parse-options.js';
import { policyOrRefuse } from '../policy-or-refuse.js';
import { DEFAULT_REAL_PACMAN } from '../../system/pacman-version.js';

export { DEFAULT_REAL_PACMAN };

/** The JSON document of `guard check --json` (documented in the README). */
export function checkDocument(args: readonly string[], judgement: Judgement) {
  const { command, verdict } = judgement;
  return {
    argv: args,
    // The variant whose reading decided (null when pacman's version was not
    // asked or unknown), and every variant the line was parsed for.
    pacmanVersion: judgement.detected ? command.variant : null,
    variants: judgement.variants,
    operation: command.operation ?? null,
    outcome: command.outcome,
    rejection: command.rejection?.message ?? null,
    targets: command.targets,
    needsLock: command.needsLock,
    needsRoot: command.needsRoot,
    host: judgement.actsOnHost,
    // What it does to this system: its database lock, its database (local/, sync/), package files in its root.
    effect: judgement.effect,
    paths: command.paths,
    decision: verdict.decision,
    reason: verdict.reason,
    action: verdict.action,
    exitCode: verdict.exitCode,
  };
}

export const checkCommand: Command = {
  name: 'check',
  usage: 'guard check [--json] -- <pacman arguments>',
  options: [['--json', 'print the verdict as JSON']],
  details: 'Exit status: 0 allowed, 3 refused, 4 refused because the state is unknown.',
  async run(context): Promise<ExitCode> {
    const separator = context.args.indexOf('--');
    const own = separator === -1 ? context.args : context.args.slice(0, separator);
    const pacmanArgs = separator === -1 ? [] : context.args.slice(separator + 1);
    if (separator === -1) {
      throw new GuardError("pacman's arguments go after '--'", { exitCode: Codes.Usage, hints: ['  e.g. guard check -- -Syu'] });
    }
    const { values } = parseCommandOptions(own, { json: { type: 'boolean' } });
    const judged = await judge(pacmanArgs, {
      env: context.env,
      policy: 'refuse',
      realPacman: context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN,
    });
    // The policy as the shim reads it, and only where the shim would: a broken
    // /etc/pacman-guard.conf is reported here as the shim reports it (fail closed).
    const { command: parsed, engagement, actsOnHost } = judged;
    const policy = judged.verdict.decision !== 'allow' && (redirectKind(parsed) || installReasonTargets(parsed)) ? await policyOrRefuse(context.output) : 'refuse';
    const judgement = policy === 'refuse' || !engagement ? judged : { ...judged, verdict: decide(parsed, actsOnHost, engagement, policy) };
    if (values.json) {
      context.output.line(JSON.stringify(checkDocument(pacmanArgs, judgement), null, 2));
      return judgement.verdict.exitCode;
    }
    const { command, verdict } = judgement;
    const yesNo = (value: boolean) => (value ? 'yes' : 'no');
    context.output.line(commandLine('pacman', pacmanArgs));
    context.output.line(`  operation:   ${command.operation ?? 'none'} (${verdict.action})`);
    if (command.rejection) context.output.line(`  pacman says: error: ${command.rejection.message}`);
    context.output.line(`  takes lock:  ${yesNo(command.needsLock)}`);
    const elsewhere = judgement.effect.otherDatabase === undefined ? 'another root or database' : `another database (${judgement.effect.otherDatabase})`;
    context.output.line(`  acts on:     ${judgement.actsOnHost ? 'this system' : elsewhere}`);
    context.output.line(`  decision:    ${verdict.decision}: ${verdict.reason}`);
    return verdict.exitCode;
  },
};
