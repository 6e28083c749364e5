import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** util.parseArgs, strict, with its errors turned into usage errors in pacman's words. */
export function parseCommandOptions(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new GuardError(message.charAt(0).toLowerCase() + message.slice(1), { exitCode: ExitCode.Usage, hints: ["  run 'guard <command> --help' for usage"] });
  }
}
