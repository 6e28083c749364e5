import {
  recordAudit
} from "./chunk-HVXMJR3L.js";
import {
  auditEntry
} from "./chunk-CN5PT5GW.js";
import "./chunk-LMKLE5DX.js";
import {
  parseCommandOptions
} from "./chunk-CBJKVL5X.js";
import {
  lockDatabase,
  merge,
  refresh,
  settle,
  unlockDatabase,
  unmerge
} from "./chunk-2PSP3724.js";
import {
  normalizeDirectory
} from "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/cli/commands/lock.ts
var DEFAULT_WAIT_SECONDS = 300;
function waitSeconds(args) {
  let wait = 0;
  const rest = [];
  for (const arg of args) {
    if (arg === "--wait") wait = DEFAULT_WAIT_SECONDS;
    else if (arg.startsWith("--wait=")) {
      const value = Number(arg.slice("--wait=".length));
      if (!Number.isFinite(value) || value < 0) throw new GuardError(`invalid argument '${arg.slice(7)}' for --wait`, { exitCode: 2 /* Usage */, hints: ["  expected a number of seconds"] });
      wait = value;
    } else rest.push(arg);
  }
  return { rest, wait };
}
var dbPath = async () => (await readPacmanConfig()).dbPath;
var lockCommand = databaseCommand(
  "lock",
  true,
  "Bind-mounts pacman's DBPath onto itself read-only. Idempotent. Never locks under a\nrunning transaction; a stale db.lck is reported, never removed.",
  async (path, wait) => `${await lockDatabase(path, { waitSeconds: wait })}: ${normalizeDirectory(path)}`
);
var unlockCommand = {
  name: "unlock",
  usage: "guard unlock [--force]",
  options: [["--force", "unlock even while extensions are merged"]],
  details: "Removes the guard's read-only bind mounts of DBPath (all of them, if stacked). Idempotent.",
  async run(context) {
    const { values } = parseCommandOptions(context.args, { force: { type: "boolean" } });
    const path = await dbPath();
    const outcome = await unlockDatabase(path, { force: Boolean(values.force) });
    if (values.force && outcome === "unlocked") {
      context.output.warning(`${normalizeDirectory(path)} unlocked with --force: pacman can now change the system under merged extensions`);
      const warnings = await recordAudit(auditEntry(context.env, {
        argv: ["guard", "unlock", "--force"],
        event: "override",
        reason: "database unlocked while extensions may be merged"
      }), { logFile: (await readPacmanConfig()).logFile });
      for (const warning of warnings) context.output.warning(warning);
    }
    context.output.line(`${outcome}: ${normalizeDirectory(path)}`);
    return 0 /* Ok */;
  }
};
function databaseCommand(name, waits, details, action) {
  return {
    name,
    usage: `guard ${name}${waits ? " [--wait[=SECONDS]]" : ""}`,
    options: waits ? [["--wait[=<seconds>]", `wait for a running transaction before locking (bare: ${DEFAULT_WAIT_SECONDS} s)`]] : [],
    details,
    async run(context) {
      const { rest, wait } = waitSeconds(context.args);
      if (!waits && wait > 0) throw new GuardError("unknown option '--wait'", { exitCode: 2 /* Usage */ });
      parseCommandOptions(rest, {});
      const output = await action(await dbPath(), wait);
      if (output) context.output.line(output);
      return 0 /* Ok */;
    }
  };
}
var mergeCommand = databaseCommand("merge", true, "Locks the database, then runs systemd-sysext merge; on failure the lock is put back as it was.", (path, wait) => merge(path, { waitSeconds: wait, command: "guard merge" }));
var unmergeCommand = databaseCommand("unmerge", false, "Runs systemd-sysext unmerge, then unlocks the database.", (path) => unmerge(path));
var refreshCommand = databaseCommand("refresh", true, "Locks, runs systemd-sysext refresh, and unlocks only if nothing is merged afterwards.", (path, wait) => refresh(path, { waitSeconds: wait, command: "guard refresh" }));
var settleCommand = databaseCommand("settle", true, "Locks the database if extensions are merged, unlocks it otherwise. For the systemd drop-in.", (path, wait) => settle(path, { waitSeconds: wait, command: "guard settle" }));
export {
  DEFAULT_WAIT_SECONDS,
  lockCommand,
  mergeCommand,
  refreshCommand,
  settleCommand,
  unlockCommand,
  unmergeCommand
};
//# sourceMappingURL=lock-F4CCDP5W.js.map
