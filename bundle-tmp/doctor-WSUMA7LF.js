import {
  DEFAULT_UNITDIR
} from "./chunk-4UQQCJ67.js";
import {
  shimMarker
} from "./chunk-JOIKW67E.js";
import "./chunk-YJFO2KKY.js";
import {
  HELPER_NAMES
} from "./chunk-YPDJNW7G.js";
import "./chunk-4WA2TRF5.js";
import {
  readGuardConfigFile
} from "./chunk-YUQUC6CE.js";
import {
  JOURNAL_SOCKET
} from "./chunk-HVXMJR3L.js";
import "./chunk-CN5PT5GW.js";
import "./chunk-LMKLE5DX.js";
import {
  parseCommandOptions
} from "./chunk-CBJKVL5X.js";
import {
  HOOK_NAME,
  SYSTEM_HOOK_DIRECTORY
} from "./chunk-CV7VYEZC.js";
import {
  baseMount,
  dbLockState,
  readMounts,
  readUpdateRecord
} from "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig,
  runTool
} from "./chunk-ANAKCO4H.js";
import {
  isReadOnly,
  mergedHierarchies,
  visibleMount
} from "./chunk-SIRNJXXP.js";
import {
  listHeld
} from "./chunk-QHI3HJOS.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/doctor/checks.ts
import { dirname } from "node:path";
var SUDO_FIX = "put the shim's directory first in sudo's secure_path: with the package, install -m 440 /usr/share/doc/pacman-guard/sudoers.example /etc/sudoers.d/pacman-guard; from a checkout, guard install --bindir /usr/local/bin (first in Arch's default secure_path)";
function runChecks(facts) {
  const findings = [];
  const add = (check, ok, message, fix) => findings.push({ check, ok, message, ...ok || !fix ? {} : { fix } });
  const usr = baseMount(facts.mounts, "/usr");
  add(
    "usr-read-only",
    usr !== void 0 && isReadOnly(usr),
    usr && isReadOnly(usr) ? "/usr is mounted read-only (change it with guard update)" : "/usr is mounted writable",
    "mount /usr read-only (an image, or a read-only bind mount in fstab)"
  );
  if (facts.update) {
    const { record, running } = facts.update;
    add(
      "no-interrupted-update",
      running,
      running ? `guard update (pid ${record.pid}) is running: ${record.phase}` : `a guard update (pid ${record.pid}, started ${record.started}) was interrupted while ${record.phase}`,
      "guard update --finish"
    );
  }
  if (facts.usrAttributes !== void 0) {
    const immutable = /i/.test(facts.usrAttributes.split(/\s/)[0] ?? "");
    add(
      "usr-not-immutable-attribute",
      !immutable,
      immutable ? "/usr carries the immutable attribute (chattr +i), which breaks overlayfs merges" : "/usr does not carry chattr +i",
      "chattr -i /usr, and keep /usr read-only by mount instead"
    );
  }
  for (const extension of facts.held ?? []) {
    add(
      `held:${extension.name}`,
      false,
      `extension ${extension.name} is not merged: guard update held it (${extension.reason})`,
      `guard extend --remove ${extension.name}, or build it again with guard extend --name ${extension.name} PACKAGE\u2026`
    );
  }
  for (const [path, writable2] of Object.entries(facts.writable)) {
    if (writable2 === void 0) continue;
    add(`writable:${path}`, writable2, `${path} is ${writable2 ? "writable" : "not writable"}`, `make ${path} writable (systemd-sysext and the guard keep state there)`);
  }
  const var_ = visibleMount(facts.mounts, "/var");
  add(
    "var-not-read-only",
    !(var_ && isReadOnly(var_)),
    var_ && isReadOnly(var_) ? "/var is read-only as a whole" : "/var is writable",
    "keep /var writable; only /var/lib/pacman is locked, by guard lock"
  );
  add(
    "merged-and-locked",
    facts.merged.length === 0 || facts.dbLocked,
    facts.merged.length === 0 ? "no extensions are merged" : facts.dbLocked ? `extensions are merged and ${facts.dbPath} is locked` : `extensions are merged while ${facts.dbPath} is writable`,
    "guard lock"
  );
  if (facts.pathPacman) {
    add("shim-on-path", facts.pathPacman.isShim, facts.pathPacman.isShim ? `pacman on PATH is the shim (${facts.pathPacman.path})` : `pacman on PATH is ${facts.pathPacman.path}, not the shim`, "guard install, and put its --bindir before /usr/bin on PATH");
  } else add("shim-on-path", false, "no pacman on PATH", "guard install");
  if (facts.sudoSecurePath !== void 0) {
    const found = facts.sudoPacman;
    add(
      "shim-in-sudo-secure-path",
      Boolean(found?.isShim),
      found?.isShim ? `sudo finds the shim (${found.path})` : `sudo's secure_path finds ${found?.path ?? "no pacman"}, not the shim`,
      SUDO_FIX
    );
  }
  for (const [helper, found] of Object.entries(facts.pathHelpers ?? {})) {
    if (!found) continue;
    add(
      `${helper}-shim-on-path`,
      found.isShim,
      found.isShim ? `${helper} on PATH is the shim (${found.path})` : `${helper} on PATH is ${found.path}, not the shim`,
      `guard install, and put its --bindir before ${dirname(found.path)} on PATH`
    );
  }
  const ours = facts.hooks.filter((hook) => hook.name === HOOK_NAME);
  const installed = ours.find((hook) => hook.isOurs);
  if (!installed) add("hook-installed", false, `the libalpm hook ${HOOK_NAME} is not in ${facts.hookDirectories.join(", ")}`, "guard install --hookdir /etc/pacman.d/hooks");
  else {
    const position = facts.hookDirectories.indexOf(installed.directory);
    const masking = ours.find((hook) => hook !== installed && facts.hookDirectories.indexOf(hook.directory) > position);
    add(
      "hook-not-masked",
      !masking,
      masking ? `the hook in ${installed.directory} is masked by ${masking.directory}/${HOOK_NAME}${masking.masksWithDevNull ? " (a link to /dev/null)" : ""}` : `the hook is installed in ${installed.directory}`,
      masking ? `rm ${masking.directory}/${HOOK_NAME}` : void 0
    );
  }
  add(
    "units-enabled",
    facts.dropInInstalled && (facts.sysextServiceEnabled === void 0 || facts.sysextServiceEnabled === "enabled"),
    !facts.dropInInstalled ? "the systemd-sysext.service drop-in is not installed" : facts.sysextServiceEnabled && facts.sysextServiceEnabled !== "enabled" ? `systemd-sysext.service is ${facts.sysextServiceEnabled}` : "the lock follows systemd-sysext.service",
    !facts.dropInInstalled ? "guard install" : "systemctl enable systemd-sysext.service"
  );
  const optMerged = facts.merged.some((entry) => entry.hierarchy === "/opt");
  if (optMerged && facts.packagesOwningOpt.length > 0) {
    add(
      "opt-writable-for-packages",
      false,
      `/opt is a sysext hierarchy (read-only while merged), but ${facts.packagesOwningOpt.join(", ")} install files there`,
      "set SYSTEMD_SYSEXT_HIERARCHIES=/usr for systemd-sysext.service, or ship those packages as extensions"
    );
  }
  if (facts.auditTrail) {
    const { logFile, logWritable, journal } = facts.auditTrail;
    add(
      "audit-trail",
      logWritable || journal,
      logWritable ? `refusals are recorded in ${logFile}${journal ? " and the journal" : ""}` : journal ? `${logFile} is not writable for you: your refusals are recorded in the journal only (root's go to ${logFile} too)` : `${logFile} is not writable for you and the journal is not running: your refusals are not recorded`,
      `run pacman as root (sudo pacman), or start systemd-journald`
    );
  }
  add(
    "config-valid",
    facts.guardConfig.ok,
    facts.guardConfig.ok ? facts.guardConfig.exists ? `/etc/pacman-guard.conf: Policy = ${facts.guardConfig.policy}` : `/etc/pacman-guard.conf does not exist: Policy = ${facts.guardConfig.policy} (the default)` : facts.guardConfig.error,
    "fix /etc/pacman-guard.conf (see guard(8)); until then the shim refuses instead of redirecting"
  );
  return findings;
}

// src/doctor/facts.ts
import { constants } from "node:fs";
import { access, lstat, readFile, readdir, readlink } from "node:fs/promises";
import { dirname as dirname2, join } from "node:path";
var ARCH_SUDO_SECURE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/bin";
var EXTENSION_DIRECTORIES = ["/run", "/run/extensions", "/etc/extensions", "/var/lib/extensions"];
async function writable(path) {
  try {
    await access(path, constants.F_OK);
  } catch {
    return void 0;
  }
  return access(path, constants.W_OK).then(() => true, () => false);
}
async function findOnPath(command, searchPath) {
  for (const directory of searchPath.split(":").filter(Boolean)) {
    const candidate = join(directory, command);
    try {
      await access(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const head = await readFile(candidate).then((content) => content.subarray(0, 512).toString("latin1"), () => "");
    return { path: candidate, isShim: head.includes(shimMarker(command)) };
  }
  return void 0;
}
function securePathFrom(sudoers) {
  let found;
  for (const text of sudoers) {
    for (const match of text.matchAll(/^\s*Defaults\s+secure_path\s*=\s*"?([^"\n]+?)"?\s*$/gm)) found = match[1];
  }
  return found;
}
async function sudoSecurePath() {
  const files = ["/etc/sudoers", ...await readdir("/etc/sudoers.d").then((names) => names.sort().map((name) => `/etc/sudoers.d/${name}`), () => [])];
  const texts = await Promise.all(files.map((file) => readFile(file, "utf8").catch(() => "")));
  return securePathFrom(texts) ?? ARCH_SUDO_SECURE_PATH;
}
async function hookFiles(directories) {
  const found = [];
  for (const directory of directories) {
    const path = join(directory, HOOK_NAME);
    try {
      const status = await lstat(path);
      const target = status.isSymbolicLink() ? await readlink(path) : void 0;
      const content = target === void 0 ? await readFile(path, "utf8") : "";
      found.push({ directory, name: HOOK_NAME, masksWithDevNull: target === "/dev/null", isOurs: content.includes("pacman-guard") });
    } catch {
    }
  }
  return found;
}
async function packagesOwningOpt(dbPath) {
  const local = join(dbPath, "local");
  const owners = [];
  for (const entry of await readdir(local).catch(() => [])) {
    const files = await readFile(join(local, entry, "files"), "utf8").catch(() => "");
    if (/^opt\/./m.test(files)) owners.push(entry);
  }
  return owners;
}
async function writableFile(path) {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch (error) {
    if (error.code !== "ENOENT") return false;
    return access(dirname2(path), constants.W_OK).then(() => true, () => false);
  }
}
async function gatherFacts(options) {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: 4 /* StateUnknown */ });
  const config = await readPacmanConfig();
  const hookDirectories = [SYSTEM_HOOK_DIRECTORY, ...config.hookDirs.map((directory) => directory.replace(/\/+$/, ""))];
  const securePath = await sudoSecurePath();
  const [merged, usrAttributes, hooks, pathPacman, sudoPacman, dropIn, enabled, optOwners] = await Promise.all([
    mergedHierarchies(mounts.value),
    runTool("lsattr", ["-d", "/usr"]).then(({ stdout }) => stdout.trim(), () => void 0),
    hookFiles(hookDirectories),
    findOnPath("pacman", options.env.PATH ?? ""),
    findOnPath("pacman", securePath),
    access(join(options.unitdir, "systemd-sysext.service.d/pacman-guard.conf")).then(() => true, () => false),
    runTool("systemctl", ["is-enabled", "systemd-sysext.service"]).then(({ stdout }) => stdout.trim(), (error) => {
      const answer = /^(disabled|masked|static|indirect|enabled-runtime|linked)$/m.exec(String(error.message ?? ""));
      return answer?.[1];
    }),
    packagesOwningOpt(config.dbPath)
  ]);
  const pathHelpers = await Promise.all(HELPER_NAMES.map(async (helper) => [helper, await findOnPath(helper, options.env.PATH ?? "")]));
  const writableEntries = await Promise.all(EXTENSION_DIRECTORIES.map(async (path) => [path, await writable(path)]));
  return {
    mounts: mounts.value,
    merged,
    dbPath: config.dbPath,
    dbLocked: dbLockState(mounts.value, config.dbPath).locked,
    ...usrAttributes === void 0 ? {} : { usrAttributes },
    writable: Object.fromEntries(writableEntries),
    ...pathPacman ? { pathPacman } : {},
    ...sudoPacman ? { sudoPacman } : {},
    sudoSecurePath: securePath,
    pathHelpers: Object.fromEntries(pathHelpers.filter(([, found]) => found !== void 0)),
    hookDirectories,
    hooks,
    dropInInstalled: dropIn,
    ...enabled ? { sysextServiceEnabled: enabled } : {},
    packagesOwningOpt: optOwners,
    held: await listHeld().catch(() => []),
    ...await readUpdateRecord().then((update) => update ? { update } : {}, (error) => {
      throw new GuardError(describeError(error), { exitCode: 4 /* StateUnknown */ });
    }),
    auditTrail: {
      logFile: config.logFile,
      logWritable: await writableFile(config.logFile),
      journal: await access(JOURNAL_SOCKET).then(() => true, () => false)
    },
    guardConfig: await readGuardConfigFile().then((file) => ({ ok: true, policy: file.config.policy, exists: file.exists }), (error) => ({ ok: false, error: describeError(error) }))
  };
}

// src/cli/commands/doctor.ts
var doctorCommand = {
  name: "doctor",
  usage: "guard doctor [--json] [--unitdir DIR]",
  options: [
    ["--json", "print the findings as JSON"],
    ["--unitdir <dir>", `where guard install put the systemd drop-in (default ${DEFAULT_UNITDIR})`]
  ],
  details: "Exit status: 0 when every check passes, 5 when any finds a problem, 4 when the state cannot be read.",
  async run(context) {
    const { values } = parseCommandOptions(context.args, { json: { type: "boolean" }, unitdir: { type: "string" } });
    const findings = runChecks(await gatherFacts({ env: context.env, unitdir: values.unitdir ?? DEFAULT_UNITDIR }));
    const exitCode = findings.every((finding) => finding.ok) ? 0 /* Ok */ : 5 /* Inconsistent */;
    if (values.json) {
      context.output.line(JSON.stringify({ findings, exitCode }, null, 2));
      return exitCode;
    }
    for (const finding of findings) {
      if (finding.ok) context.output.line(`  ok    ${finding.message}`);
      else context.output.warning(finding.message, ...finding.fix ? [`  fix: ${finding.fix}`] : []);
    }
    return exitCode;
  }
};
export {
  doctorCommand
};
//# sourceMappingURL=doctor-WSUMA7LF.js.map
