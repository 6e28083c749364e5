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
import { planRemoval, planRemovalOf, removalCommands, type RemovalPlan, type RemovalStep } from '../extend/removal.js';
import type { ExtendPlan } from '../extend/extend.js';
import { pacmanAsks } from '../pacman/confirm.js';
import { askQuestion } from '../ui/question.js';
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { flowOwner, readProcess } from '../system/process-tree.js';
import { listStore } from '../system/extension-store.js';
import type { PacmanCommand } from '../pacman/model.js';
import { commandLine } from '../policy/refusal.js';
import type { Verdict } from '../policy/decide.js';
import { SHIM_HANDLED } from '../shim/protocol.js';
import { readPacmanConfig } from '../system/pacman-conf.js';
import type { CommandContext } from './command.js';
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

/**
 * Root first, as pacman checks it before anything else (pacman.c: needs_root()
 * right after the command line): a user who forgot sudo learns that, not
 * what would have been built.
 */
function requireRoot(request: RedirectRequest): void {
  if (asRoot()) return;
  throw new GuardError('you cannot perform this operation unless you are root.', {
    exitCode: ExitCode.Failure,
    hints: ['  nothing was changed; under Policy = redirect the guard does it for pacman, as root:', `    ${commandLine('sudo', ['pacman', ...request.args])}`],
  });
}

/** pacman's own answer to "what would this -R remove?": the same line with --print, so -s, -c, -u and the dependency checks are pacman's. */
async function pacmanWouldRemove(request: RedirectRequest, targets: readonly string[]): Promise<string[]> {
  const args = request.command.readsTargetsFromStdin ? [...request.args.filter((word) => word !== '-'), ...targets] : [...request.args];
  try {
    const { stdout } = await execa(request.realPacman, [...args, '--print', '--print-format', '%n'], { env: { LC_ALL: 'C' }, stdin: 'ignore' });
    return stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  } catch (error) {
    const failure = error as { code?: string; stderr?: string; stdout?: string; shortMessage?: string };
    if (failure.code === 'ENOENT') throw new GuardError(`${request.realPacman} is not installed`, { cause: error });
    // pacman says what breaks (":: removing X breaks dependency …") on stdout, the error on stderr.
    const lines = [...(failure.stderr ?? '').split('\n'), ...(failure.stdout ?? '').split('\n').filter((line) => line.startsWith(':: '))].filter((line) => line.trim() !== '');
    const first = lines.find((line) => line.startsWith('error: '));
    throw new GuardError(first ? first.slice('error: '.length) : `cannot ask pacman what it would remove: ${failure.shortMessage ?? String(error)}`, {
      exitCode: ExitCode.Failure,
      hints: [...lines.filter((line) => line !== first), '  nothing was changed'],
      cause: error,
    });
  }
}

export async function redirect(request: RedirectRequest): Promise<ExitCode | typeof SHIM_HANDLED | number> {
  const { context, command, verdict } = request;
  requireRoot(request);
  const targets = command.readsTargetsFromStdin ? await readStdinTargets(command.targets) : command.targets;
  switch (verdict.redirect) {
    case 'extend':
      return redirectToExtend(request, targets);
    case 'update':
      return redirectToUpdate(request, 'upgrading the base system');
    case 'remove': {
      const plan = await planForRemoval(request, targets);
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

/**
 * The removal plan for a redirected -R: what pacman says it would remove
 * decides, when every target is in an extension (pacman sees extension
 * packages through its view); base packages go to guard update as before.
 */
async function planForRemoval(request: RedirectRequest, targets: readonly string[]): Promise<RemovalPlan> {
  const first = await removalPlan(targets);
  if (first.kind !== 'extensions' && first.kind !== 'dependency') return first;
  const { dbPath } = await readPacmanConfig();
  const base = new Set((await baseEntries(dbPath)).map(localPackageName));
  return planRemovalOf(await pacmanWouldRemove(request, targets), await listStore(), base);
}

/** Whether pacman would ask for this command line (--noconfirm, --confirm, --ask, --print as pacman reads them). */
function asks(request: RedirectRequest): boolean {
  return pacmanAsks(request.args, request.command, request.command.variant);
}

/** pacman's target list, in the terms of an extension: name, version, repository, and which extension. */
export function planLines(plan: ExtendPlan): string[] {
  const width = Math.max(...plan.packages.map((entry) => entry.name.length));
  const versionWidth = Math.max(...plan.packages.map((entry) => entry.version.length));
  return [
    '',
    `Extension ${plan.name} (${plan.replaces ? 'rebuilt' : 'new'}): /var/lib/extensions/${plan.name}`,
    `Packages (${plan.packages.length})`,
    ...plan.packages.map((entry) => `    ${entry.name.padEnd(width)}  ${entry.version.padEnd(versionWidth)}  ${entry.repository}${entry.explicit ? '' : ' (dependency)'}`),
    '',
  ];
}

async function redirectToExtend(request: RedirectRequest, targets: readonly string[]): Promise<ExitCode | typeof SHIM_HANDLED> {
  const { context, verdict } = request;
  const { extend, isDeclined } = await import('../extend/extend.js');
  const { reportExtension } = await import('./commands/extend.js');
  context.output.heading(`pacman-guard: ${verdict.reason}; building a system extension instead of installing (Policy = redirect)`);
  context.output.line(`    ${commandLine('guard', ['extend', ...targets])}`);
  await request.audit('redirected', verdict.reason);
  const asDependencies = (request.command.flags.get('asdeps') ?? 0) > 0;
  const confirm = (plan: ExtendPlan) => {
    for (const line of planLines(plan)) context.output.line(line);
    return askQuestion('Proceed with building a system extension?', { preset: true, asks: asks(request), color: context.output.color, fromTerminal: request.command.readsTargetsFromStdin });
  };
  let result;
  try {
    result = await extend({ targets, ...(asDependencies ? { asDependencies } : {}), env: context.env, realPacman: request.realPacman, progress: (line) => context.output.heading(line), confirm });
  } catch (error) {
    if (isDeclined(error)) return ExitCode.Failure;
    throw error;
  }
  reportExtension(context.output, result);
  const remove = `${asRoot() ? '' : 'sudo '}guard extend --remove ${result.provenance.name}`;
  const watched = asDependencies ? watchFlow(context.env, result.provenance.name) : undefined;
  // A dependency installed ahead of a build (yay, paru): if that build fails, this extension is what is left.
  context.output.line(asDependencies
    ? `pacman sees ${shownWords(targets, (word) => word, 10)} as installed dependencies while extension ${result.provenance.name} is merged; ${watched
      ? `when ${watched} ends, it is taken out if nothing merged needs it (guard extend --prune)`
      : `if the build that needs ${targets.length === 1 ? 'it' : 'them'} fails, remove it: ${remove}`}`
    : `pacman sees the packages while extension ${result.provenance.name} is merged; its database is unchanged; to undo: ${remove}`);
  return SHIM_HANDLED;
}

/**
 * A dependency installed ahead of a build (yay, paru, trizen: pacman -S
 * --asdeps, then makepkg, then pacman -U): if the build or its install
 * fails, nothing will need this extension. A detached guard waits for the
 * helper that asked (past sudo) to end, then takes the extension out if it
 * is an orphan by then (`guard extend --prune --only NAME`). Returns the
 * helper's name, or undefined when the command was typed in a shell.
 */
function watchFlow(env: NodeJS.ProcessEnv, extension: string): string | undefined {
  const owner = flowOwner(Number(env.PACMAN_GUARD_CALLER_PID ?? process.ppid), (pid) => readProcess(pid));
  const main = process.argv[1];
  if (!owner || !main) return undefined;
  const child = spawn(process.execPath, [main, 'extend', '--prune', '--only', extension, '--after', `${owner.pid}:${owner.startTime}`], {
    detached: true,
    stdio: 'ignore',
    env: { ...env, PACMAN_GUARD_CALLER_PID: String(process.pid) },
  });
  child.unref();
  return `${owner.comm} (${owner.pid})`;
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

/** pacman -R's list, per extension: what goes, and what the extension keeps. */
export function removalLines(steps: readonly RemovalStep[]): string[] {
  return ['', ...steps.flatMap((step) => (step.action === 'remove'
    ? [`Extension ${step.extension}: removed, with every package in it`]
    : [
      `Extension ${step.extension}: rebuilt without ${(step.removed ?? []).join(', ')}`,
      ...(step.dependencies && step.dependencies.length > 0 ? [`    keeps ${step.dependencies.join(', ')} (dependency)`] : []),
    ])), ''];
}

async function removeFromExtensions(request: RedirectRequest, steps: readonly RemovalStep[]): Promise<ExitCode | typeof SHIM_HANDLED> {
  const { context, verdict } = request;
  const { applyRemoval } = await import('../extend/apply-removal.js');
  const { reportExtension } = await import('./commands/extend.js');
  context.output.heading(`pacman-guard: ${verdict.reason}; the packages are in system extensions, taking them out of there (Policy = redirect)`);
  for (const command of removalCommands(steps)) context.output.line(`    ${commandLine(command[0]!, command.slice(1))}`);
  for (const line of removalLines(steps)) context.output.line(line);
  if (!askQuestion('Do you want to remove these packages?', { preset: true, asks: asks(request), color: context.output.color, fromTerminal: request.command.readsTargetsFromStdin })) return ExitCode.Failure;
  await request.audit('redirected to guard extend', verdict.reason);
  await applyRemoval(steps, {
    env: context.env,
    realPacman: request.realPacman,
    progress: (line) => context.output.heading(line),
    removed: (extension) => context.output.line(`removed extension ${extension}`),
    rebuilt: (result) => reportExtension(context.output, result),
  });
  return SHIM_HANDLED;
}
