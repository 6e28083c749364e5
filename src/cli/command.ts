import type { ExitCode } from '../exit-codes.js';
import type { SHIM_HANDLED } from '../shim/protocol.js';
import type { Output } from '../ui/output.js';

export interface CliEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface CommandContext extends CliEnvironment {
  readonly output: Output;
  /** The subcommand's own arguments (after global options and the subcommand name). */
  readonly args: readonly string[];
}

/** One `guard` subcommand; its one-line summary lives in the registry (commands.ts). */
export interface Command {
  readonly name: string;
  /** `guard NAME [options] …` */
  readonly usage: string;
  /** Option lines: [flags, description]. */
  readonly options: readonly (readonly [string, string])[];
  /** What its operands are, for the completions: file names, or one of a few words. */
  readonly operands?: 'files' | readonly string[];
  /** Extra paragraphs after the options. */
  readonly details?: string;
  /** Every argument is pacman's or a helper's, `--help` and `--color` too (the shims' checks). */
  readonly passesHelpThrough?: boolean;
  /** `--color` after the command is pacman's, passed on (guard update); guard's own goes before the command. */
  readonly passesColorThrough?: boolean;
  /** An exit code; `guard shim-check` alone may also answer the shim with SHIM_HANDLED. */
  run(context: CommandContext): Promise<ExitCode | typeof SHIM_HANDLED>;
}
