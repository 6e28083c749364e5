import {
  count,
  isShortened,
  shownWords
} from "./chunk-LMKLE5DX.js";

// src/audit/entry.ts
import { createRequire } from "node:module";
function auditEntry(env, fields) {
  const { parent, ...rest } = fields;
  return {
    time: /* @__PURE__ */ new Date(),
    uid: process.getuid?.() ?? -1,
    ...env.SUDO_USER ? { sudoUser: env.SUDO_USER } : {},
    ...parent ? { parent } : {},
    ...rest
  };
}
var LOG_TAG = "PACMAN-GUARD";
function pacmanTimestamp(time) {
  const pad = (value, width = 2) => String(Math.abs(value)).padStart(width, "0");
  const offset = -time.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}${sign}${pad(Math.trunc(offset / 60))}${pad(offset % 60)}`;
}
var quoteWord = (word) => /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
function recordedArgv(argv) {
  const shown = shownWords(argv, quoteWord);
  if (!isShortened(argv)) return shown;
  const { createHash } = createRequire(import.meta.url)("node:crypto");
  const digest = createHash("sha256");
  for (const word of argv) digest.update(`${word}\0`);
  return `${shown} (${count(argv.length)} arguments, sha256 ${digest.digest("hex")})`;
}
function pacmanLogLine(entry) {
  const who = [`uid=${entry.uid}`, entry.sudoUser ? `sudo_user=${entry.sudoUser}` : void 0, entry.parent ? `parent=${entry.parent}` : void 0].filter(Boolean).join(" ");
  const message = `${entry.event} '${recordedArgv(entry.argv)}' (${who}): ${entry.reason}`.replace(/\n/g, " ");
  return `[${pacmanTimestamp(entry.time)}] [${LOG_TAG}] ${message}
`;
}
function journalFields(entry) {
  return {
    MESSAGE: pacmanLogLine(entry).replace(/^\[[^\]]*\] \[[^\]]*\] /, "").trimEnd(),
    SYSLOG_IDENTIFIER: "pacman-guard",
    PRIORITY: "4",
    PACMAN_GUARD_EVENT: entry.event,
    PACMAN_GUARD_UID: String(entry.uid),
    ...entry.sudoUser ? { PACMAN_GUARD_SUDO_USER: entry.sudoUser } : {},
    ...entry.parent ? { PACMAN_GUARD_PARENT: entry.parent } : {},
    PACMAN_GUARD_ARGV: recordedArgv(entry.argv)
  };
}

export {
  auditEntry,
  LOG_TAG,
  pacmanLogLine,
  journalFields
};
//# sourceMappingURL=chunk-CN5PT5GW.js.map
