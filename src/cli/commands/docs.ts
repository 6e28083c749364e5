import { GuardError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { Command } from '../command.js';
import { documentedCommands, renderCompletion, renderManPage } from '../docs.js';
import { parseCommandOptions } from '../parse-options.js';

const KINDS = ['man', 'bash', 'zsh', 'fish'] as const;

export const docsCommand: Command = {
  name: 'docs',
  usage: 'guard docs man|bash|zsh|fish',
  options: [],
  operands: KINDS,
  details: 'Prints guard(8) in roff, or a shell completion script, generated from the commands themselves.',
  async run(context) {
    const { positionals } = parseCommandOptions(context.args, {}, true);
    const kind = positionals[0] as (typeof KINDS)[number] | undefined;
    if (positionals.length !== 1 || !kind || !KINDS.includes(kind)) {
      throw new GuardError(`expected one of ${KINDS.join(', ')}`, { exitCode: ExitCode.Usage, hints: ['  e.g. guard docs man > guard.8'] });
    }
    const commands = await documentedCommands();
    context.stdout.write(kind === 'man' ? renderManPage(commands) : renderCompletion(kind, commands));
    return ExitCode.Ok;
  },
};
