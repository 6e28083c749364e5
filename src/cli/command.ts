import type { ExitCode } from '../exit-codes.js';
import type { SHIM_HANDLED } from '../shim/protocol.js';
import type { CommandContext } from './run.js';

/** One `guard` subcommand; its one-line summary lives in the registry (commands.ts). */
export interface Command {
  readonly name: string;
  /** `guard NAME [options] …` */
  readonly usage: string;
  /** Option lines: [flags, description]. */
  readonly options: readonly (readonly [string, string])[];
  /** Extra paragraphs after the options. */
  readonly details?: string;
  /** The command receives `--help`/`-h` itself (e.g. pacman arguments after `--`). */
  readonly passesHelpThrough?: boolean;
  /** An exit code; `guard shim-check` alone may also answer the shim with SHIM_HANDLED. */
  run(context: CommandContext): Promise<ExitCode | typeof SHIM_HANDLED>;
}
