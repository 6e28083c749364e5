// src/exit-codes.ts
var ExitCode = /* @__PURE__ */ ((ExitCode2) => {
  ExitCode2[ExitCode2["Ok"] = 0] = "Ok";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
  ExitCode2[ExitCode2["Usage"] = 2] = "Usage";
  ExitCode2[ExitCode2["Refused"] = 3] = "Refused";
  ExitCode2[ExitCode2["StateUnknown"] = 4] = "StateUnknown";
  ExitCode2[ExitCode2["Inconsistent"] = 5] = "Inconsistent";
  ExitCode2[ExitCode2["BrokenPipe"] = 141] = "BrokenPipe";
  return ExitCode2;
})(ExitCode || {});
var EXIT_CODE_DESCRIPTIONS = {
  [0 /* Ok */]: "success; `guard check`: the command would be allowed; `guard status`: nothing merged, database and image writable; `guard doctor`: no problem found",
  [1 /* Failure */]: "an operation failed (mount, spawned tool, file access)",
  [2 /* Usage */]: "usage error: unknown option, missing argument, malformed configuration",
  [3 /* Refused */]: "refused: a mutating pacman operation while extensions are merged or the database is locked, one that writes package files into a read-only image, or any while a `guard update` runs or was interrupted; `guard status`: engaged",
  [4 /* StateUnknown */]: "refused because the system state could not be determined (fail closed); `guard status`: state unknown",
  [5 /* Inconsistent */]: "`guard status`: extensions are merged while the database is writable; `guard doctor`: it found a problem",
  [141 /* BrokenPipe */]: "a successful command could not write all of its output: its reader went away (`guard status | head -1`), as for pacman killed by SIGPIPE"
};

// src/errors.ts
var GuardError = class extends Error {
  exitCode;
  /** Lines printed after the message, e.g. the commands that fix the problem. */
  hints;
  constructor(message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "GuardError";
    this.exitCode = options.exitCode ?? 1 /* Failure */;
    this.hints = options.hints ?? [];
  }
};
function describeError(error) {
  if (error instanceof Error) {
    const code = error.code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

export {
  ExitCode,
  EXIT_CODE_DESCRIPTIONS,
  GuardError,
  describeError
};
//# sourceMappingURL=chunk-63T2ULCU.js.map
