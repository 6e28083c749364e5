#!/usr/bin/env node
import {
  COMMANDS,
  commandHelp,
  mainHelp
} from "./chunk-D5W54GFO.js";
import {
  createOutput,
  resolveColor,
  splitGlobalOptions
} from "./chunk-E7PJUYJI.js";
import {
  VERSION
} from "./chunk-FG7EVZGW.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/cli/broken-pipe.ts
var BROKEN_PIPE_STATUS = 141 /* BrokenPipe */;
function watchForBrokenPipe(streams) {
  const watch = { broken: false };
  for (const stream of streams) {
    stream.on("error", (error) => {
      if (error.code === "EPIPE") watch.broken = true;
      else if (!watch.broken) throw error;
    });
  }
  return watch;
}
function exitStatus(commandStatus, watch) {
  return commandStatus === 0 /* Ok */ && watch.broken ? BROKEN_PIPE_STATUS : commandStatus;
}

// src/cli/run.ts
async function runGuard(argv, environment) {
  let output = createOutput({ color: false, out: environment.stdout, err: environment.stderr });
  try {
    const global = splitGlobalOptions(argv);
    output = createOutput({ color: await resolveColor(global.color, environment), out: environment.stdout, err: environment.stderr });
    if (global.version) {
      output.line(`guard (pacman-guard) ${VERSION}`);
      return 0 /* Ok */;
    }
    if (!global.command) {
      if (global.help) {
        output.line(mainHelp());
        return 0 /* Ok */;
      }
      throw new GuardError("no command given", { exitCode: 2 /* Usage */, hints: ["  run 'guard --help' for the list of commands"] });
    }
    const entry = COMMANDS.find((candidate) => candidate.name === global.command);
    if (!entry) {
      throw new GuardError(`unknown command '${global.command}'`, { exitCode: 2 /* Usage */, hints: ["  run 'guard --help' for the list of commands"] });
    }
    const command = await entry.load();
    if (global.help || global.rest.includes("--help") || global.rest.includes("-h")) {
      if (!command.passesHelpThrough || global.help) {
        output.line(commandHelp(entry, command));
        return 0 /* Ok */;
      }
    }
    return await command.run({ ...environment, output, args: global.rest });
  } catch (error) {
    if (error instanceof GuardError) {
      output.error(error.message, ...error.hints);
      return error.exitCode;
    }
    output.error(`internal error: ${describeError(error)}`);
    if (error instanceof Error && error.stack) environment.stderr.write(`${error.stack}
`);
    return 1 /* Failure */;
  }
}

// src/cli/main.ts
var pipe = watchForBrokenPipe([process.stdout, process.stderr]);
var status = await runGuard(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
process.exitCode = status;
process.once("exit", () => {
  process.exitCode = exitStatus(status, pipe);
});
//# sourceMappingURL=main.js.map
