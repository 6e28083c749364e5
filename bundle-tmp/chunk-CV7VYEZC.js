import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/install/hook-file.ts
import { readFile } from "node:fs/promises";
var HOOK_NAME = "00-pacman-guard.hook";
var SYSTEM_HOOK_DIRECTORY = "/usr/share/libalpm/hooks";
var HOOK_TEMPLATE = new URL("../../hooks/00-pacman-guard.hook.in", import.meta.url);
var DROP_IN_TEMPLATE = new URL("../../hooks/systemd/pacman-guard.conf.in", import.meta.url);
var DROP_IN_PATH = "systemd-sysext.service.d/pacman-guard.conf";
var METRICS_UNITS = [
  { name: "pacman-guard-metrics.service", template: new URL("../../hooks/systemd/pacman-guard-metrics.service.in", import.meta.url) },
  { name: "pacman-guard-metrics.timer", template: new URL("../../hooks/systemd/pacman-guard-metrics.timer", import.meta.url) }
];
function renderHook(template, node, guardMain) {
  for (const path of [node, guardMain]) {
    if (/\s/.test(path)) throw new GuardError(`cannot use '${path}' in a libalpm hook: it contains white space`, { exitCode: 2 /* Usage */ });
  }
  return template.replaceAll("@GUARD_EXEC@", `${node} ${guardMain}`);
}
async function readTemplate(template) {
  return readFile(template, "utf8");
}

export {
  HOOK_NAME,
  SYSTEM_HOOK_DIRECTORY,
  HOOK_TEMPLATE,
  DROP_IN_TEMPLATE,
  DROP_IN_PATH,
  METRICS_UNITS,
  renderHook,
  readTemplate
};
//# sourceMappingURL=chunk-CV7VYEZC.js.map
