/**
 * The redirect policy carried out for the pacman shim: each sanctioned path
 * in place of the refused command, said first, audited, and answered with
 * the status the shim should exit with.
 *   extend: `pacman -S/-U` → guard extend;
 *   update: `pacman -Su/-Syu` → guard update with the same arguments;
 *   remove: `pacman -R` of packages extensions carry → those extensions
 *           rebuilt without them (or removed); of base packages → guard update.
 */
import { shownWords } from '../policy/target-list.js';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { localPackageName } from '../pacman/local-entry.js';
import { planRemoval, removalCommands, type RemovalPlan } from '../extend/removal.js';
import { listStore } from '../extend/store.js';
import type { PacmanCommand } from '../pacman/model.js';
import { commandLine } from '../policy/refusal.js';
import type { Verdict } from '../policy/decide.js';
import { SHIM_HANDLED } from '../shim/protocol.js';
import { readPacmanConfig } from '../system/pacman-conf.js';
import type { CommandContext } from './run.js';
import { readStdinTargets } from './stdin-targets.js';
import { baseEntries } from '../system/view.js';

export interface RedirectRequest {
  readonly context: CommandContext;
  readonly args: readonly string[];
  readonly command: PacmanCommand;
  readonly verdict: Verdict;
  readonly realPacman: string;
  readonly audit: (event: string, reason: string) => Promise<void>;
}

const asRoot = () => process.getuid?.() === 0;
/** Shim protocol: guard did the work; anything else non-zero is the shim's exit status. */
const handled = (status: number) => (status === 0 ? SHIM_HANDLED : status);

/** The removal plan for `pacman -R` targets on this system. */
export async function removalPlan(targets: readonly string[]): Promise<RemovalPlan> {
  const { dbPath } = await readPacmanConfig();
  const base = new Set((await baseEntries(dbPath)).map(localPackageName));
  return planRemoval(targets, await listStore(), base);
}

/** For a refusal: the guard commands that take the targets out of the extensions carrying them, if that is where they are. */
export async function removalAdvice(targets: readonly string[]): Promise<string[][] | undefined> {
  const plan = await removalPlan(targets).catch(() => undefined);
  return plan?.kind === 'extensions' ? removalCommands(plan.steps) : undefined;
}

export async function redirect(request: RedirectRequest): Promise<ExitCode | typeof SHIM_HANDLED | number> {
  const { context, command, verdict } = request;
  const targets = command.readsTargetsFromStdin ? await readStdinTargets(command.targets) : command.targets;
  switch (verdict.redirect) {
    case 'extend':
      return redirectToExtend(request, targets);
    case 'update':
      return redirectToUpdate(request, 'upgrading the base system');
    case 'remove': {
      const plan = await removalPlan(targets);
      switch (plan.kind) {
        case 'base':
          return redirectToUpdate(request, 'removing base packages');
        case 'extensions':
          return removeFromExtensions(request, plan.steps);
        case 'not found':
          throw new GuardError(`target not found: ${plan.targets.join(', ')}`, { exitCode: ExitCode.Failure, hints: ['  nothing was changed: neither the base nor a guard-built extension has it'] });
        case 'dependency':
          throw new GuardError(`${plan.target} is a dependency in extension ${plan.extension}, which was built for ${plan.neededBy.join(', ')}`, {
            exitCode: ExitCode.Refused,
            hints: ['  nothing was changed; remove what needs it first, or the whole extension:', `    ${commandLine('guard', ['extend', '--remove', plan.extension])}`],
          });
        case 'mixed':
          throw new GuardError(`${plan.inExtensions.join(', ')} ${plan.inExtensions.length === 1 ? 'is' : 'are'} in system extensions, ${plan.inBase.join(', ')} in the base: two different changes`, {
            exitCode: ExitCode.Refused,
            hints: ['  nothing was changed; remove them separately:', `    ${commandLine('pacman', ['-R', ...plan.inExtensions])}`, `    ${commandLine('pacman', ['-R', ...plan.inBase])}`],
          });
      }
    }
    // falls through: a verdict without a destination is no redirect
    case undefined:
      throw new GuardError('internal error: a redirect without a destination', { exitCode: ExitCode.Failure });
  }
}

async function redirectToExtend(request: RedirectRequest, targets: readonly string[]): Promise<ExitCode | typeof SHIM_HANDLED> {
  const { context, verdict } = request;
  const { extend } = await import('../extend/extend.js');
  const { reportExtension } = await import('./commands/extend.js');
  context.output.heading(`pacman-guard: ${verdict.reason}; building a system extension instead of installing (Policy = redirect)`);
  context.output.line(`    ${commandLine('guard', ['extend', ...targets])}`);
  await request.audit('redirected', verdict.reason);
  const asDependencies = (request.command.flags.get('asdeps') ?? 0) > 0;
  const result = await extend({ targets, ...(asDependencies ? { asDependencies } : {}), env: context.env, realPacman: request.realPacman, progress: (line) => context.output.heading(line) });
  reportExtension(context.output, result);
  const remove = `${asRoot() ? '' : 'sudo '}guard extend --remove ${result.provenance.name}`;
  // A dependency installed ahead of a build (yay, paru): if that build fails, this extension is what is left.
  context.output.line(asDependencies
    ? `pacman sees ${shownWords(targets, (word) => word, 10)} as installed dependencies while extension ${result.provenance.name} is merged; if the build that needs ${targets.length === 1 ? 'it' : 'them'} fails, remove it: ${remove}`
    : `pacman sees the packages while extension ${result.provenance.name} is merged; its database is unchanged; to undo: ${remove}`);
  return SHIM_HANDLED;
}

async function redirectToUpdate(request: RedirectRequest, what: string): Promise<number | typeof SHIM_HANDLED> {
  const { context, verdict, args } = request;
  if (!asRoot()) throw new GuardError('you cannot perform this operation unless you are root.', { exitCode: ExitCode.Failure });
  const { runUpdate } = await import('../update/update.js');
  context.output.heading(`pacman-guard: ${verdict.reason}; ${what} in guard update's maintenance window (Policy = redirect)`);
  context.output.line(`    ${commandLine('guard', ['update', ...args])}`);
  await request.audit('redirected to guard update', verdict.reason);
  return handled(await runUpdate(args, { env: context.env, realPacman: request.realPacman, output: context.output }));
}

async function removeFromExtensions(request: RedirectRequest, steps: Parameters<typeof removalCommands>[0]): Promise<ExitCode | typeof SHIM_HANDLED> {
  const { context, verdict } = request;
  const { extend, removeExtension } = await import('../extend/extend.js');
  const { reportExtension } = await import('./commands/extend.js');
  context.output.heading(`pacman-guard: ${verdict.reason}; the packages are in system extensions, taking them out of there (Policy = redirect)`);
  for (const command of removalCommands(steps)) context.output.line(`    ${commandLine(command[0]!, command.slice(1))}`);
  await request.audit('redirected to guard extend', verdict.reason);
  for (const step of steps) {
    if (step.action === 'remove') {
      await removeExtension(step.extension);
      context.output.line(`removed extension ${step.extension}`);
    } else {
      reportExtension(context.output, await extend({ targets: step.targets, name: step.extension, env: context.env, realPacman: request.realPacman, progress: (line) => context.output.heading(line) }));
    }
  }
  return SHIM_HANDLED;
}
