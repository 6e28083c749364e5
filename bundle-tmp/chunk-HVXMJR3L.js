import {
  journalFields,
  pacmanLogLine
} from "./chunk-CN5PT5GW.js";
import {
  describeError
} from "./chunk-63T2ULCU.js";

// src/audit/record.ts
import { appendFile, readFile, access } from "node:fs/promises";
var JOURNAL_SOCKET = "/run/systemd/journal/socket";
async function recordAudit(entry, targets) {
  const warnings = [];
  try {
    await appendFile(targets.logFile, pacmanLogLine(entry));
  } catch (error) {
    if (!userDenied(error)) warnings.push(`could not write to ${targets.logFile}: ${describeError(error)}`);
  }
  const socket = targets.journalSocket ?? JOURNAL_SOCKET;
  if (await exists(socket)) {
    const input = Object.entries(journalFields(entry)).map(([key, value]) => `${key}=${value.replace(/\n/g, " ")}`).join("\n");
    try {
      await startDetached("logger", ["--journald"], input);
    } catch (error) {
      warnings.push(`could not write to the journal: ${describeError(error)}`);
    }
  }
  return warnings;
}
async function startDetached(file, args, input) {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { detached: true, stdio: ["pipe", "ignore", "ignore"], env: { ...process.env, LC_ALL: "C" } });
    child.once("error", (error) => reject(error.code === "ENOENT" ? new Error(`${file} is not installed`) : error));
    child.once("spawn", () => {
      child.stdin?.on("error", () => void 0);
      child.stdin?.end(input);
      child.unref();
      resolve();
    });
  });
}
function userDenied(error) {
  const code = error.code;
  return (code === "EACCES" || code === "EPERM") && process.getuid?.() !== 0;
}
async function exists(path) {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
async function processName(pid, procRoot = "/proc") {
  try {
    return (await readFile(`${procRoot}/${pid}/comm`, "utf8")).trim() || void 0;
  } catch {
    return void 0;
  }
}

export {
  JOURNAL_SOCKET,
  recordAudit,
  processName
};
//# sourceMappingURL=chunk-HVXMJR3L.js.map
