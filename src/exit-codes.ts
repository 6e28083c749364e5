/**
 * Exit codes of `guard` and of the pacman shim. The README's table is generated
 * from nothing else: keep the descriptions here accurate.
 *
 * The shim otherwise exits with pacman's own status (pacman uses 0 and 1), so
 * every code the guard itself chooses for a refusal is distinct from 1.
 */
export enum ExitCode {
  /** Success; `guard check`: the command may run; `guard status`: nothing merged, database writable. */
  Ok = 0,
  /** An operation of the guard failed (a mount, a spawned tool, a file). */
  Failure = 1,
  /** Bad usage of guard: unknown option, missing argument, malformed config. */
  Usage = 2,
  /** Refused: extensions are merged, the database is locked, the image is read-only, or a guard update is open. `guard status`: engaged. */
  Refused = 3,
  /** Refused because the system's state could not be determined (fail closed). */
  StateUnknown = 4,
  /** `guard status`/`doctor`: extensions are merged while the database is writable. */
  Inconsistent = 5,
  /** A successful command's reader went away before it read everything: the shell's status for pacman killed by SIGPIPE. */
  BrokenPipe = 141,
}

export const EXIT_CODE_DESCRIPTIONS: Readonly<Record<ExitCode, string>> = {
  [ExitCode.Ok]: 'success; `guard check`: the command would be allowed; `guard status`: nothing merged, database and image writable; `guard doctor`: no problem found',
  [ExitCode.Failure]: 'an operation failed (mount, spawned tool, file access)',
  [ExitCode.Usage]: 'usage error: unknown option, missing argument, malformed configuration',
  [ExitCode.Refused]: 'refused: a mutating pacman operation while extensions are merged or the database is locked, one that writes package files into a read-only image, or any while a `guard update` runs or was interrupted; `guard status`: engaged',
  [ExitCode.StateUnknown]: 'refused because the system state could not be determined (fail closed); `guard status`: state unknown',
  [ExitCode.Inconsistent]: '`guard status`: extensions are merged while the database is writable; `guard doctor`: it found a problem',
  [ExitCode.BrokenPipe]: 'a successful command could not write all of its output: its reader went away first, as for pacman killed by SIGPIPE (output that fits in the pipe is written whole: `guard status | head -1` keeps the status of guard status)',
};
