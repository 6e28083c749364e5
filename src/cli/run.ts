/**
 * The `guard` command line: picks the subcommand, runs it, and turns errors
 * into pacman-style messages and exit codes. The only place that decides an
 * exit code for an error; subcommands throw GuardError or return a code.
 */
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { createOutput, type Output } from '../ui/output.js';
import { COMMANDS, commandHelp, mainHelp } from './commands.js';
import { resolveColor, splitGlobalOptions, takeTrailingColor } from './global-options.js';
import type { SHIM_HANDLED } from '../shim/protocol.js';
import type { CliEnvironment } from './command.js';


export async function runGuard(argv: readonly string[], environment: CliEnvironment): Promise<ExitCode | typeof SHIM_HANDLED> {
  let output = createOutput({ color: false, out: environment.stdout, err: environment.stderr });
  try {
    const global = splitGlobalOptions(argv);
    output = createOutput({ color: await resolveColor(global.color, environment), out: environment.stdout, err: environment.stderr });
    if (global.version) {
      // Imported here, not at the top: version.js reads package.json, which no other run needs.
      const { VERSION } = await import('../version.js');
      output.line(`guard (pacman-guard) ${VERSION}`);
      return ExitCode.Ok;
    }
    if (!global.command) {
      if (global.help) {
        output.line(mainHelp());
        return ExitCode.Ok;
      }
      throw new GuardError('no command given', { exitCode: ExitCode.Usage, hints: ["  run 'guard --help' for the list of commands"] });
    }
    const entry = COMMANDS.find((candidate) => candidate.name === global.command);
    if (!entry) {
      throw new GuardError(`unknown command '${global.command}'`, { exitCode: ExitCode.Usage, hints: ["  run 'guard --help' for the list of commands"] });
    }
    const command = await entry.load();
    // `guard status --color=always` as well as `guard --color=always status`,
    // unless the command passes --color on (to pacman, or a helper).
    const trailing = command.passesHelpThrough || command.passesColorThrough ? { args: global.rest } : takeTrailingColor(global.rest);
    if (trailing.color) output = createOutput({ color: await resolveColor(trailing.color, environment), out: environment.stdout, err: environment.stderr });
    const args = trailing.args;
    // Only words before `--` are guard's: `guard check -- -h` asks pacman's -h.
    const separator = args.indexOf('--');
    const own = separator === -1 ? args : args.slice(0, separator);
    if (global.help || (!command.passesHelpThrough && (own.includes('--help') || own.includes('-h')))) {
      output.line(commandHelp(entry, command));
      return ExitCode.Ok;
    }
    return await command.run({ ...environment, output, args });
  } catch (error) {
    if (error instanceof GuardError) {
      output.error(error.message, ...error.hints);
      return error.exitCode;
    }
    output.error(`internal error: ${describeError(error)}`);
    if (error instanceof Error && error.stack) {
      const { sourceMappedStack } = await import('./source-stack.js');
      environment.stderr.write(`${sourceMappedStack(error.stack)}\n`);
    }
    return ExitCode.Failure;
  }
}
