/**
 * The registry of `guard` subcommands and the help texts built from it.
 */
import { EXIT_CODE_DESCRIPTIONS, ExitCode } from '../exit-codes.js';
import type { Command } from './command.js';
import { checkCommand } from './commands/check.js';
import { shimCheckCommand } from './commands/shim-check.js';
import { statusCommand } from './commands/status.js';

export const COMMANDS: readonly Command[] = [checkCommand, statusCommand, shimCheckCommand];

/** Commands for the shim and hooks, left out of `guard --help`. */
const INTERNAL = new Set(['shim-check', 'hook']);

const pad = (text: string, width: number) => (text.length >= width ? `${text}  ` : text.padEnd(width));

export function mainHelp(): string {
  const lines = [
    'usage:  guard [--color <when>] <command> [options]',
    '',
    'Keeps pacman from changing a system whose /usr is extended by systemd-sysext.',
    '',
    'commands:',
    ...COMMANDS.filter((command) => !INTERNAL.has(command.name)).map((command) => `    ${pad(command.name, 12)}${command.summary}`),
    '',
    'options:',
    `    ${pad('--color <when>', 24)}colorize the output (never, auto, always)`,
    `    ${pad('-h, --help', 24)}show this help, or a command's help`,
    `    ${pad('-V, --version', 24)}show the version`,
    '',
    'exit codes:',
    ...(Object.values(ExitCode).filter((code): code is ExitCode => typeof code === 'number')
      .map((code) => `    ${pad(String(code), 4)}${EXIT_CODE_DESCRIPTIONS[code]}`)),
    '',
    "Run 'guard <command> --help' for a command's options.",
  ];
  return lines.join('\n');
}

export function commandHelp(command: Command): string {
  const lines = [`usage:  ${command.usage}`, '', command.summary];
  if (command.options.length > 0) {
    lines.push('', 'options:', ...command.options.map(([flags, description]) => `    ${pad(flags, 24)}${description}`));
  }
  if (command.details) lines.push('', command.details);
  return lines.join('\n');
}
