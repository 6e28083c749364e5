import {
  commandLine
} from "./chunk-FBLWSKTN.js";
import "./chunk-YUQUC6CE.js";
import {
  processName,
  recordAudit
} from "./chunk-HVXMJR3L.js";
import {
  auditEntry
} from "./chunk-CN5PT5GW.js";
import "./chunk-LMKLE5DX.js";
import {
  describeReadOnly,
  probeSystem
} from "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-63T2ULCU.js";

// src/cli/commands/hook.ts
import { readFile } from "node:fs/promises";
async function parentArgv() {
  try {
    return (await readFile(`/proc/${process.ppid}/cmdline`, "utf8")).split("\0").filter(Boolean);
  } catch {
    return ["(unknown)"];
  }
}
var hookCommand = {
  name: "hook",
  usage: "guard hook",
  options: [],
  async run(context) {
    let dbPath = "/var/lib/pacman";
    let logFile = "/var/log/pacman.log";
    try {
      ({ dbPath, logFile } = await readPacmanConfig());
    } catch {
    }
    const state = await probeSystem({ dbPath, skipTransaction: true });
    let reason;
    if (!state.merged.ok) reason = `cannot tell whether system extensions are merged: ${state.merged.reason}`;
    else if (!state.image.ok) reason = `cannot tell whether the image is read-only: ${state.image.reason}`;
    else if (state.merged.value.length > 0) {
      reason = `system extensions are merged on ${state.merged.value.map((entry) => `${entry.hierarchy} (${entry.extensions.join(", ") || "unnamed"})`).join(", ")}`;
    } else {
      const readOnly = state.image.value.filter((entry) => entry.readOnly !== void 0);
      if (readOnly.length > 0) reason = readOnly.map(describeReadOnly).join(" and ");
    }
    if (!reason) return 0 /* Ok */;
    const args = await parentArgv();
    const pacmanArgs = /(^|\/)pacman$/.test(args[0] ?? "") ? args.slice(1) : void 0;
    const known = state.merged.ok && state.image.ok;
    context.output.error(
      `pacman-guard: aborting the transaction: ${reason}`,
      "  nothing was changed.",
      ...known ? [":: To change the base system, run it in guard update's maintenance window:", `    ${commandLine("guard", ["update", ...pacmanArgs ?? ["-S", "PACKAGE"]])}`] : [":: Find out what is wrong with:", "    guard status", "    guard doctor"]
    );
    const parent = await processName(process.ppid);
    const warnings = await recordAudit(auditEntry(context.env, {
      parent,
      argv: args,
      event: "transaction aborted by the hook",
      reason
    }), { logFile });
    for (const warning of warnings) context.output.warning(warning);
    return 1 /* Failure */;
  }
};
export {
  hookCommand
};
//# sourceMappingURL=hook-HHXWMWR2.js.map
