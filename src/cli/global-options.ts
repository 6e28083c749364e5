/**
 * Options that come before the subcommand: `guard [--color WHEN] [-h] [-V] COMMAND …`.
 * Parsed by hand because util.parseArgs cannot stop at the first positional.
 */
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { shouldColor, type ColorSetting } from '../ui/output.js';
import type { CliEnvironment } from './command.js';

export interface GlobalOptions {
  readonly color?: ColorSetting;
  readonly help: boolean;
  readonly version: boolean;
  readonly command?: string;
  readonly rest: readonly string[];
}

const COLOR_SETTINGS: readonly ColorSetting[] = ['never', 'auto', 'always'];

export function parseColorSetting(value: string | undefined, option = '--color'): ColorSetting {
  if (value !== undefined && (COLOR_SETTINGS as readonly string[]).includes(value)) return value as ColorSetting;
  throw new GuardError(`invalid argument '${value ?? ''}' for ${option}`, {
    exitCode: ExitCode.Usage,
    hints: ['  expected one of: never, auto, always'],
  });
}

export function splitGlobalOptions(argv: readonly string[]): GlobalOptions {
  let color: ColorSetting | undefined;
  let help = false;
  let version = false;
  let index = 0;
  for (; index < argv.length; index++) {
    const word = argv[index]!;
    if (word === '-h' || word === '--help') help = true;
    else if (word === '-V' || word === '--version') version = true;
    else if (word === '--color') color = parseColorSetting(argv[++index]);
    else if (word.startsWith('--color=')) color = parseColorSetting(word.slice('--color='.length));
    else if (word.startsWith('-')) {
      throw new GuardError(`invalid option '${word}'`, { exitCode: ExitCode.Usage, hints: ["  run 'guard --help' for usage"] });
    } else break;
  }
  const command = argv[index];
  return { ...(color ? { color } : {}), help, version, ...(command === undefined ? {} : { command }), rest: argv.slice(index + 1) };
}

/**
 * Colour as pacman would choose it (shouldColor); pacman.conf is read only
 * when it can matter: no `--color`, no NO_COLOR, and stdout a terminal.
 * @param pacmanConfig the pacman.conf to read (`pacman --config`), default pacman's own
 */
export async function resolveColor(flag: ColorSetting | undefined, environment: Pick<CliEnvironment, 'env' | 'stdout'>, pacmanConfig?: string): Promise<boolean> {
  const isTTY = Boolean(environment.stdout.isTTY);
  const noColorEnv = environment.env.NO_COLOR;
  const inputs = { ...(flag ? { flag } : {}), ...(noColorEnv ? { noColorEnv } : {}), isTTY };
  if (flag || noColorEnv || !isTTY) return shouldColor(inputs);
  return shouldColor({ ...inputs, pacmanConfColor: await readPacmanColor(pacmanConfig) });
}

/** pacman.conf's Color option; a configuration that cannot be read means no colour. */
async function readPacmanColor(config?: string): Promise<boolean> {
  // Imported here: only a terminal without --color or NO_COLOR needs pacman.conf.
  const { readPacmanConfig } = await import('../system/pacman-conf.js');
  try {
    return (await readPacmanConfig(config ? { config } : {})).color;
  } catch {
    return false;
  }
}

/**
 * `--color WHEN` or `--color=WHEN` among a command's own arguments (before
 * `--`), taken out: global options may follow the command too.
 */
export function takeTrailingColor(args: readonly string[]): { color?: ColorSetting; args: readonly string[] } {
  const rest: string[] = [];
  let color: ColorSetting | undefined;
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    if (word === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (word === '--color') color = parseColorSetting(args[++index]);
    else if (word.startsWith('--color=')) color = parseColorSetting(word.slice('--color='.length));
    else rest.push(word);
  }
  return { ...(color ? { color } : {}), args: rest };
}
