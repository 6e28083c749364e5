/**
 * Messages in pacman's manner: `error: …` and `warning: …` prefixes, `::`
 * for headings, bold red / bold yellow / bold blue as pacman paints them, and
 * colour only when pacman would use it.
 */
import kleur from 'kleur';

export type ColorSetting = 'never' | 'auto' | 'always';

export interface ColorInputs {
  /** `--color` given to guard (or to pacman, for the shim). */
  readonly flag?: ColorSetting;
  /** pacman.conf's `Color` option. */
  readonly pacmanConfColor?: boolean;
  /** The NO_COLOR environment variable (https://no-color.org): any non-empty value turns colour off. */
  readonly noColorEnv?: string;
  readonly isTTY: boolean;
}

/**
 * pacman: `--color always|never` wins; `--color auto` and the `Color` option
 * colour only a terminal. NO_COLOR overrides the configuration but not an
 * explicit `--color always`.
 */
export function shouldColor(inputs: ColorInputs): boolean {
  if (inputs.flag === 'always') return true;
  if (inputs.flag === 'never') return false;
  if (inputs.noColorEnv) return false;
  if (inputs.flag === 'auto') return inputs.isTTY;
  return Boolean(inputs.pacmanConfColor) && inputs.isTTY;
}

export interface Output {
  readonly color: boolean;
  error(message: string, ...details: readonly string[]): void;
  warning(message: string, ...details: readonly string[]): void;
  /** A `:: heading` line, as pacman prints its questions and sections. */
  heading(text: string): void;
  line(text?: string): void;
  /** Bold text, e.g. a command the user should run. */
  bold(text: string): string;
}

export function createOutput(options: { color: boolean; out?: NodeJS.WritableStream; err?: NodeJS.WritableStream }): Output {
  const paint = kleur;
  paint.enabled = options.color;
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const write = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);
  return {
    color: options.color,
    error(message, ...details) {
      write(err, `${paint.bold().red('error:')} ${message}`);
      for (const detail of details) write(err, detail);
    },
    warning(message, ...details) {
      write(err, `${paint.bold().yellow('warning:')} ${message}`);
      for (const detail of details) write(err, detail);
    },
    heading(text) {
      write(out, `${paint.bold().blue('::')} ${paint.bold(text)}`);
    },
    line(text = '') {
      write(out, text);
    },
    bold(text) {
      return paint.bold(text);
    },
  };
}
