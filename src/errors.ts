import { ExitCode } from './exit-codes.js';

/**
 * The one error type the guard raises on purpose. The CLI's top level prints
 * `error: <message>` (plus the hint lines) and exits with `exitCode`; anything
 * else that reaches the top is a bug and is printed with its stack.
 */
/** GuardError's brand: shared by every copy of this module in the process. */
const GUARD_ERROR = Symbol.for('pacman-guard.GuardError');

export class GuardError extends Error {
  /**
   * `instanceof` by brand, not by class: the bundled hot entry point (dist/cli/main.js,
   * scripts/bundle.mjs) and the commands it loads from dist/ hold two copies of this
   * class, and an error from either must be recognised by both.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[GUARD_ERROR] === true;
  }

  readonly [GUARD_ERROR] = true;
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
