/**
 * Messages in pacman's manner: `error: …` and `warning: …` prefixes, `::`
 * for headings, in pacman's own colours (src/pacman/util.c and conf.c,
 * enable_colors(): bold red `error: `, bold yellow `warning: `, a bold blue
 * `::` before a bold heading), and colour only when pacman would use it.
 */

export type ColorSetting = 'never' | 'auto' | 'always';

export interface ColorInputs {
  /** `--color` given to guard, or the last one given to pacman (for the shims), as pacman takes it. */
  readonly flag?: ColorSetting;
  /** pacman.conf's `Color` option. */
  readonly pacmanConfColor?: boolean;
  /** The NO_COLOR environment variable (https://no-color.org): any non-empty value turns colour off. */
  readonly noColorEnv?: string;
  /** Whether standard output is a terminal: pacman asks isatty(stdout) for its messages on stderr too. */
  readonly isTTY: boolean;
}

/**
 * pacman: `--color always|never` wins; `--color auto`, and without `--color`
 * the `Color` option, colour when stdout is a terminal; otherwise no colour.
 * pacman does not read NO_COLOR; guard honours it where pacman would decide
 * by the terminal, never against an explicit `--color always`.
 */
export function shouldColor(inputs: ColorInputs): boolean {
  if (inputs.flag === 'always') return true;
  if (inputs.flag === 'never') return false;
  if (inputs.flag !== 'auto' && !inputs.pacmanConfColor) return false;
  if (inputs.noColorEnv) return false;
  return inputs.isTTY;
}

/** pacman's escape sequences (BOLD, BOLDRED, BOLDYELLOW, BOLDBLUE, NOCOLOR). */
export const STYLES = {
  bold: '\u001b[0;1m',
  boldRed: '\u001b[1;31m',
  boldYellow: '\u001b[1;33m',
  boldBlue: '\u001b[1;34m',
  reset: '\u001b[0m',
} as const;

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
  const style = (code: string) => (options.color ? code : '');
  const [bold, boldRed, boldYellow, boldBlue, reset] = [STYLES.bold, STYLES.boldRed, STYLES.boldYellow, STYLES.boldBlue, STYLES.reset].map(style) as [string, string, string, string, string];
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const write = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);
  // As pacman's colstr->colon, then the title and colstr->nocolor.
  const colon = (text: string) => `${boldBlue}::${bold} ${text}${reset}`;
  // A detail line that is a `:: heading` (the refusals' "To run it anyway") is painted as one.
  const detail = (text: string) => (text.startsWith(':: ') ? colon(text.slice(3)) : text);
  return {
    color: options.color,
    // As pacman's pm_asprintf: the prefix coloured, its trailing space included, then the message plain.
    error(message, ...details) {
      write(err, `${boldRed}error: ${reset}${message}`);
      for (const text of details) write(err, detail(text));
    },
    warning(message, ...details) {
      write(err, `${boldYellow}warning: ${reset}${message}`);
      for (const text of details) write(err, detail(text));
    },
    heading(text) {
      write(out, colon(text));
    },
    line(text = '') {
      write(out, text);
    },
    bold(text) {
      return `${bold}${text}${reset}`;
    },
  };
}
