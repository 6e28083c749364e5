import {
  prometheusText
} from "./chunk-ZGOHD6PR.js";
import {
  statusDocument
} from "./chunk-MJPG6TGX.js";
import "./chunk-CN5PT5GW.js";
import "./chunk-LMKLE5DX.js";
import {
  parseCommandOptions
} from "./chunk-CBJKVL5X.js";
import {
  probeSystem
} from "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/cli/commands/metrics.ts
import { stat } from "node:fs/promises";

// src/metrics/textfile.ts
import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
var DEFAULT_TEXTFILE_DIR = "/var/lib/prometheus/node-exporter";
var TEXTFILE_NAME = "pacman-guard.prom";
async function writeTextfile(directory, content, name = TEXTFILE_NAME) {
  const target = join(directory, name);
  const temporary = join(directory, `.${name}.${process.pid}.tmp`);
  try {
    const handle = await open(temporary, "w", 420);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return target;
}

// src/cli/commands/metrics.ts
var PACMAN_DEFAULT_LOG_FILE = "/var/log/pacman.log";
function unknownState(reason) {
  const unknown = { ok: false, reason };
  return { dbPath: "", mounts: unknown, merged: unknown, dbLock: unknown, transaction: unknown, image: unknown, update: unknown };
}
var metricsCommand = {
  name: "metrics",
  usage: "guard metrics [--textfile-dir DIR]",
  options: [["--textfile-dir <dir>", `node_exporter's textfile collector directory (default ${DEFAULT_TEXTFILE_DIR})`]],
  details: [
    `Writes the metrics of guard status --prometheus to DIR/${TEXTFILE_NAME}, atomically`,
    "(a temporary file renamed into place), and prints nothing. A state that cannot be",
    "read is written as pacman_guard_state_unknown 1. pacman-guard-metrics.timer runs",
    "this every minute; guard install and the package ship it disabled (enable it with",
    "systemctl enable --now pacman-guard-metrics.timer)."
  ].join("\n"),
  async run(context) {
    const { values } = parseCommandOptions(context.args, { "textfile-dir": { type: "string" } });
    const directory = values["textfile-dir"] ?? DEFAULT_TEXTFILE_DIR;
    try {
      if (!(await stat(directory)).isDirectory()) throw new GuardError(`${directory} is not a directory`, { exitCode: 1 /* Failure */ });
    } catch (error) {
      if (error instanceof GuardError) throw error;
      throw new GuardError(`cannot use ${directory}: ${describeError(error)}`, {
        exitCode: 1 /* Failure */,
        hints: ["  is prometheus-node-exporter installed? Give its --collector.textfile.directory with --textfile-dir"]
      });
    }
    let state;
    let logFile = PACMAN_DEFAULT_LOG_FILE;
    try {
      const config = await readPacmanConfig();
      logFile = config.logFile;
      state = await probeSystem({ dbPath: config.dbPath });
    } catch (error) {
      if (!(error instanceof GuardError)) throw error;
      state = unknownState(error.message);
    }
    const { document } = statusDocument(state);
    try {
      await writeTextfile(directory, await prometheusText(document, logFile, context.env));
    } catch (error) {
      throw new GuardError(`cannot write ${directory}/${TEXTFILE_NAME}: ${describeError(error)}`, { exitCode: 1 /* Failure */, cause: error });
    }
    return 0 /* Ok */;
  }
};
export {
  metricsCommand
};
//# sourceMappingURL=metrics-ZDRDC3TW.js.map
