/**
 * pacman's yes/no question (src/pacman/util.c, question()), asked the way
 * pacman asks it: with --noconfirm printed on stdout and answered with its
 * default; otherwise printed on stderr (so it shows when output is
 * redirected) and answered by one line of standard input, terminal or not.
 * The reading of that line is pacman's (src/pacman/confirm.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { isatty } from 'node:tty';
import { answerOf, promptText } from '../pacman/confirm.js';
import { STYLES } from './output.js';

export interface QuestionOptions {
  /** The answer an empty line gives: yesno() true, noyes() false. */
  readonly preset: boolean;
  /** False under --noconfirm: print the question and take the preset. */
  readonly asks: boolean;
  readonly color: boolean;
  /**
   * Where the answer is read: standard input, or, after `-` targets were read
   * from it, the controlling terminal, which pacman reopens stdin on
   * (freopen(ctermid(NULL))); when it cannot, the spent stdin gives "no".
   */
  readonly fromTerminal?: boolean;
}

/** One line from `fd`, read a byte at a time so nothing after it is taken; undefined at end of input. */
function readLine(fd: number): string | undefined {
  const bytes: number[] = [];
  const byte = Buffer.alloc(1);
  for (;;) {
    let count: number;
    try {
      count = readSync(fd, byte, 0, 1, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking descriptor with nothing yet: wait a little, as a blocking read would.
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
      if (code === 'EOF') count = 0;
      else throw error;
    }
    if (count === 0) return bytes.length === 0 ? undefined : Buffer.from(bytes).toString('utf8');
    if (byte[0] === 0x0a) return Buffer.from(bytes).toString('utf8');
    bytes.push(byte[0]!);
  }
}

export function askQuestion(question: string, options: QuestionOptions): boolean {
  const stream = options.asks ? process.stderr : process.stdout;
  const style = (code: string) => (options.color ? code : '');
  stream.write(`${style(STYLES.boldBlue)}::${style(STYLES.bold)} ${promptText(question, options.preset)}${style(STYLES.reset)}`);
  if (!options.asks) {
    stream.write('\n');
    return options.preset;
  }
  let fd = 0;
  let opened: number | undefined;
  if (options.fromTerminal) {
    try {
      opened = openSync('/dev/tty', 'r');
      fd = opened;
    } catch {
      opened = undefined;
      fd = -1;
    }
  }
  try {
    const line = fd < 0 ? undefined : readLine(fd);
    // A piped answer is not echoed by a terminal: pacman prints it, and the newline.
    if (line !== undefined && line.trim() !== '' && !isatty(fd)) stream.write(`${line.trim()}\n`);
    return answerOf(line, options.preset);
  } finally {
    if (opened !== undefined) closeSync(opened);
  }
}
