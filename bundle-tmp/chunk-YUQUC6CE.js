import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/config/guard-config.ts
import { readFile } from "node:fs/promises";
var GUARD_CONFIG_PATH = "/etc/pacman-guard.conf";
var DEFAULT_GUARD_CONFIG = { policy: "refuse" };
var POLICIES = ["refuse", "redirect"];
function parseGuardConfig(text, source = GUARD_CONFIG_PATH) {
  let policy = DEFAULT_GUARD_CONFIG.policy;
  let section;
  const seen = /* @__PURE__ */ new Set();
  const lines = text.split("\n");
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.replace(/#.*$/, "").trim();
    if (line === "") continue;
    const fail = (problem) => {
      throw new GuardError(`${source}:${index + 1}: ${printable(problem)}`, {
        exitCode: 2 /* Usage */,
        hints: [`  fix ${source} (see guard(8)), then run: guard doctor`]
      });
    };
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      if (section !== "options") fail(`unknown section '[${section}]' (only [options] exists)`);
      continue;
    }
    if (line.startsWith("[")) fail(`malformed section header '${line}'`);
    if (section === void 0) fail(`'${line}' is outside a section; put it under [options]`);
    const equals = line.indexOf("=");
    const key = (equals === -1 ? line : line.slice(0, equals)).trim();
    const value = equals === -1 ? void 0 : line.slice(equals + 1).trim();
    if (key !== "Policy") fail(`unknown option '${key}' (known: Policy)`);
    if (seen.has(key)) fail(`'${key}' is set twice`);
    seen.add(key);
    if (value === void 0 || value === "") fail(`'${key}' needs a value (${POLICIES.join(" or ")})`);
    if (!POLICIES.includes(value)) fail(`invalid value '${value}' for ${key} (expected ${POLICIES.join(" or ")})`);
    policy = value;
  }
  return { policy };
}
function printable(text) {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function isBinary(bytes, text) {
  return bytes.includes(0) || text.includes("\uFFFD");
}
async function readGuardConfigFile(path = GUARD_CONFIG_PATH) {
  const hints = [`  remove it, or replace it with a text file like packaging/pacman-guard.conf (see guard(8)), then run: guard doctor`];
  let bytes;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = error.code;
    if (code === "ENOENT") return { config: DEFAULT_GUARD_CONFIG, exists: false };
    if (code === "EISDIR") throw new GuardError(`${path} is a directory, not a configuration file`, { exitCode: 4 /* StateUnknown */, hints, cause: error });
    throw new GuardError(`cannot read ${path}: ${describeError(error)}`, { exitCode: 4 /* StateUnknown */, cause: error });
  }
  const text = bytes.toString("utf8");
  if (isBinary(bytes, text)) throw new GuardError(`${path} is not a text file (it contains binary data)`, { exitCode: 4 /* StateUnknown */, hints });
  return { config: parseGuardConfig(text, path), exists: true };
}
async function readGuardConfig(path = GUARD_CONFIG_PATH) {
  return (await readGuardConfigFile(path)).config;
}

export {
  GUARD_CONFIG_PATH,
  readGuardConfigFile,
  readGuardConfig
};
//# sourceMappingURL=chunk-YUQUC6CE.js.map
