import { ExitCode } from './exit-codes.js';

/**
 * The one error type the guard raises on purpose. The CLI's top level prints
 * `error: <message>` (plus the hint lines) and exits with `exitCode`; anything
 * else that reaches the top is a bug and is printed with its stack.
 */
export class GuardError extends Error {
  readonly exitCode: ExitCode;
  /** Lines printed after the message, e.g. the commands that fix the problem. */
  readonly hints: readonly string[];

  constructor(message: string, options: { exitCode?: ExitCode; hints?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GuardError';
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.hints = options.hints ?? [];
  }
}

/** Best-effort one-line description of an unknown thrown value, for error messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
