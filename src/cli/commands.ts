/**
 * The registry of `guard` subcommands and the help texts built from it.
 */
import { EXIT_CODE_DESCRIPTIONS, ExitCode } from '../exit-codes.js';
import type { Command } from './command.js';

/**
 * Each command's module is loaded only when it runs: the shim's slow path
 * starts Node for every refusal, and loading every command costs milliseconds
 * a refusal does not have.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** For the shim and hooks; left out of `guard --help`. */
  readonly internal?: boolean;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'check', summary: 'tell what pacman would do with a command line, and whether the guard allows it', load: async () => (await import('./commands/check.js')).checkCommand },
  { name: 'status', summary: 'show merged extensions, the database lock, a running transaction and the /var layout', load: async () => (await import('./commands/status.js')).statusCommand },
  { name: 'metrics', summary: "write the status as Prometheus metrics for node_exporter's textfile collector", load: async () => (await import('./commands/metrics.js')).metricsCommand },
  { name: 'lock', summary: "lock pacman's database read-only", load: async () => (await import('./commands/lock.js')).lockCommand },
  { name: 'unlock', summary: "unlock pacman's database", load: async () => (await import('./commands/lock.js')).unlockCommand },
  { name: 'merge', summary: 'lock the database, then merge system extensions', load: async () => (await import('./commands/lock.js')).mergeCommand },
  { name: 'unmerge', summary: 'unmerge system extensions, then unlock the database', load: async () => (await import('./commands/lock.js')).unmergeCommand },
  { name: 'refresh', summary: 'refresh system extensions with the database locked', load: async () => (await import('./commands/lock.js')).refreshCommand },
  { name: 'settle', summary: 'lock the database if extensions are merged, unlock it if not', load: async () => (await import('./commands/lock.js')).settleCommand },
  { name: 'fit', summary: 'check built extensions against the base and hold those that do not fit', load: async () => (await import('./commands/fit.js')).fitCommand },
  { name: 'update', summary: 'change the base system on purpose: pacman in a maintenance window, then lock, merge, verify', load: async () => (await import('./commands/update.js')).updateCommand },
  { name: 'extend', summary: 'build a system extension from packages instead of installing them', load: async () => (await import('./commands/extend.js')).extendCommand },
  { name: 'doctor', summary: 'check the whole setup and say how to fix what is wrong', load: async () => (await import('./commands/doctor.js')).doctorCommand },
  { name: 'install', summary: 'install the pacman, yay and paru shims and the libalpm hook', load: async () => (await import('./commands/install.js')).installCommand },
  { name: 'uninstall', summary: 'remove what guard install installed', load: async () => (await import('./commands/install.js')).uninstallCommand },
  { name: 'docs', summary: 'print guard(8) or a shell completion script', load: async () => (await import('./commands/docs.js')).docsCommand },
  { name: 'hook', summary: 'abort a pacman transaction while extensions are merged or the image is read-only (libalpm hook)', internal: true, load: async () => (await import('./commands/hook.js')).hookCommand },
  { name: 'shim-check', summary: 'decide for the pacman shim: exit 0 lets pacman run', internal: true, load: async () => (await import('./commands/shim-check.js')).shimCheckCommand },
  { name: 'helper-check', summary: 'decide for the yay and paru shims: exit 0 lets the helper run', internal: true, load: async () => (await import('./commands/helper-check.js')).helperCheckCommand },
];

const pad = (text: string, width: number) => (text.length >= width ? `${text}  ` : text.padEnd(width));

export function mainHelp(): string {
  const lines = [
    'usage:  guard [--color <when>] <command> [options]',
    '',
    'Keeps pacman from changing a system whose /usr is extended by systemd-sysext.',
    '',
    'commands:',
    ...COMMANDS.filter((command) => !command.internal).map((command) => `    ${pad(command.name, 12)}${command.summary}`),
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

export function commandHelp(entry: CommandEntry, command: Command): string {
  const lines = [`usage:  ${command.usage}`, '', entry.summary];
  if (command.options.length > 0) {
    lines.push('', 'options:', ...command.options.map(([flags, description]) => `    ${pad(flags, 24)}${description}`));
  }
  if (command.details) lines.push('', command.details);
  return lines.join('\n');
}
