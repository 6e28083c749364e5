import {
  extend,
  listTree,
  openResolver,
  resolveTargets
} from "./chunk-TZFI22VC.js";
import {
  inspectExisting,
  localPackageName
} from "./chunk-EJBPORAO.js";
import {
  keptFlags,
  lockDatabase,
  merge,
  remountBind,
  remountFileSystem,
  serialized,
  systemdSysext,
  unlockDatabase,
  waitForNoTransaction
} from "./chunk-2PSP3724.js";
import {
  describeHolders,
  describeReadOnly,
  probeSystem,
  processStartTime,
  readUpdateRecord,
  removeUpdateRecord,
  writeUpdateRecord
} from "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import {
  extensionHierarchies
} from "./chunk-SIRNJXXP.js";
import {
  EXTENSION_STORE,
  dropHeld,
  extensionReleasePath,
  holdExtension,
  listHeld,
  listStore,
  provenancePath
} from "./chunk-QHI3HJOS.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/update/update.ts
import { createHash } from "node:crypto";
import { readdir as readdir2, stat } from "node:fs/promises";
import { constants } from "node:os";
import { join as join2 } from "node:path";

// src/update/extensions.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";

// src/update/fit.ts
var MAX_LISTED = 5;
var listed = (items) => (items.length > MAX_LISTED ? [...items.slice(0, MAX_LISTED), `and ${items.length - MAX_LISTED} more`] : items).join(", ");
function extensionFit(input) {
  const nowInBase = input.carried.filter((entry) => entry.explicit && input.base.has(entry.name));
  if (nowInBase.length > 0) {
    return { kind: "hold", reason: `the base now has ${listed(nowInBase.map((entry) => `${entry.name} ${input.base.get(entry.name)}`))}, which it was built to add` };
  }
  if ("error" in input.resolved) return { kind: "hold", reason: `pacman cannot resolve it against the new base: ${input.resolved.error}` };
  const carried = new Map(input.carried.map((entry) => [entry.name, entry.version]));
  const wanted = new Map(input.resolved.map((entry) => [entry.name, entry.version]));
  const reasons = [];
  for (const [name, version] of wanted) {
    const had = carried.get(name);
    if (had === void 0) reasons.push(`needs ${name} ${version}, which it does not carry`);
    else if (had !== version) reasons.push(`${name} ${had} \u2192 ${version}`);
  }
  for (const [name, version] of carried) {
    if (wanted.has(name)) continue;
    reasons.push(input.base.has(name) ? `${name} is now in the base (${input.base.get(name)}), not needed in the extension` : `${name} ${version} is no longer needed`);
  }
  if (input.shadowed.length > 0) reasons.push(`the base now has ${listed(input.shadowed.map((path) => `/${path}`))}, which it carries`);
  return reasons.length === 0 ? { kind: "fits" } : { kind: "rebuild", reasons };
}

// src/update/extensions.ts
async function basePackages(dbPath) {
  const packages = /* @__PURE__ */ new Map();
  for (const directory of await readdir(join(dbPath, "local"))) {
    const name = localPackageName(directory);
    if (name) packages.set(name, directory.slice(name.length + 1));
  }
  return packages;
}
var ownFiles = (name) => /* @__PURE__ */ new Set([extensionReleasePath(name), provenancePath(name)]);
async function shadowedFiles(extension) {
  const own = ownFiles(extension.name);
  const files = (await listTree(extension.path)).filter((path) => !path.endsWith("/") && !own.has(path));
  const existing = await inspectExisting(files);
  return files.filter((path) => existing.get(path) === "other");
}
function rebuildTargets(extension) {
  return (extension.provenance?.packages ?? []).filter((entry) => entry.explicit).map((entry) => entry.repository === "local" ? entry.file : entry.name);
}
async function checkExtensions(options) {
  const extensions = await listStore(options.store);
  if (extensions.every((extension) => !extension.provenance)) return extensions.map(({ name }) => ({ name, targets: [] }));
  const base = await basePackages(options.dbPath);
  const resolver = await openResolver(options.pacman, options.dbPath);
  try {
    const checks = [];
    for (const extension of extensions) {
      const provenance = extension.provenance;
      if (!provenance) {
        checks.push({ name: extension.name, targets: [] });
        continue;
      }
      const others = extensions.filter((other) => other !== extension).flatMap((other) => other.provenance?.packages.map((entry) => `${entry.name}=${entry.version}`) ?? []);
      const explicit = provenance.packages.filter((entry) => entry.explicit);
      const names = explicit.filter((entry) => entry.repository !== "local" && !base.has(entry.name)).map((entry) => entry.name);
      const files = explicit.filter((entry) => entry.repository === "local" && !base.has(entry.name)).map((entry) => entry.file);
      const resolved = await resolveTargets(resolver, names, files, others).catch((error) => ({ error: describeError(error) }));
      checks.push({
        name: extension.name,
        targets: rebuildTargets(extension),
        fit: extensionFit({ carried: provenance.packages, base, resolved, shadowed: await shadowedFiles(extension) })
      });
    }
    return checks;
  } finally {
    await resolver.dispose();
  }
}
async function holdUnfit(store, checks) {
  for (const check of checks) {
    if (check.fit && check.fit.kind !== "fits") {
      await holdExtension(store, check.name, check.fit.kind === "hold" ? check.fit.reason : `needs a rebuild: ${check.fit.reasons.join("; ")}`);
    }
  }
}

// src/update/window.ts
import { spawn } from "node:child_process";
function namespaceRemounts(opened) {
  return opened.flatMap((entry) => {
    const flags = keptFlags(entry.mount.mountOptions);
    const options = entry.readOnly === "superblock" ? ["remount", "rw", ...flags] : ["remount", "bind", "rw", ...flags];
    return [options.join(","), entry.hierarchy];
  });
}
var NAMESPACE_SCRIPT = 'set -e; while [ "$1" != -- ]; do mount -o "$1" -- "$2"; shift 2; done; shift; exec "$@"';
function namespaceArgv(opened, pacman, args) {
  return ["--mount", "--propagation", "private", "--", "sh", "-c", NAMESPACE_SCRIPT, "pacman-guard-update", ...namespaceRemounts(opened), "--", pacman, ...args];
}
async function prepareHost(opened) {
  const record = [];
  for (const entry of opened) {
    if (entry.readOnly === "superblock") await remountBind(entry.hierarchy, "ro", keptFlags(entry.mount.mountOptions));
    record.push({ hierarchy: entry.hierarchy, kind: entry.readOnly === "superblock" ? "superblock" : "mount" });
  }
  return record;
}
async function closeWindow(opened) {
  for (const entry of opened) {
    if (entry.kind === "superblock") await remountFileSystem(entry.hierarchy, "ro");
  }
}
function runInWindow(opened, pacman, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", namespaceArgv(opened, pacman, args), { stdio: "inherit", env });
    const ignore = () => void 0;
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", ignore);
    process.on("SIGTERM", forward);
    process.on("SIGHUP", forward);
    const done = () => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
    };
    child.once("error", (error) => {
      done();
      reject(new GuardError(`cannot start pacman in a private mount namespace: ${error.message}`, { exitCode: 1 /* Failure */, cause: error }));
    });
    child.once("exit", (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
}

// src/update/update.ts
async function baseFingerprint(dbPath) {
  const hash = createHash("sha256");
  for (const entry of (await readdir2(join2(dbPath, "local")).catch(() => [])).sort()) hash.update(`${entry}
`);
  for (const entry of (await readdir2(join2(dbPath, "sync")).catch(() => [])).sort()) {
    const info = await stat(join2(dbPath, "sync", entry)).catch(() => void 0);
    hash.update(`sync/${entry} ${info?.size ?? ""} ${info?.mtimeMs ?? ""}
`);
  }
  return hash.digest("hex");
}
var exclusively = (work) => serialized(() => serialized(work, { lockName: "extensions", waitMs: 6e5 }));
async function runUpdate(args, options) {
  const config = await readPacmanConfig();
  const hierarchies = extensionHierarchies(options.env, "sysext");
  return exclusively(async () => {
    const state = await probeSystem({ dbPath: config.dbPath, hierarchies });
    if (!state.update.ok) throw new GuardError(state.update.reason, { exitCode: 4 /* StateUnknown */, hints: ["  nothing was changed"] });
    if (state.update.value) {
      const { record: record2, running } = state.update.value;
      throw running ? new GuardError(`guard update (pid ${record2.pid}) is already running`, { exitCode: 3 /* Refused */, hints: ["  let it finish; see: guard status"] }) : new GuardError(`a guard update (pid ${record2.pid}, started ${record2.started}) was interrupted`, { exitCode: 3 /* Refused */, hints: ["  finish it first: guard update --finish"] });
    }
    const known = (part) => {
      if (!part.ok) throw new GuardError(`cannot tell the state of the system: ${part.reason}`, { exitCode: 4 /* StateUnknown */, hints: ["  nothing was changed; see: guard doctor"] });
      return part.value;
    };
    const [merged, dbLock, image, transaction] = [known(state.merged), known(state.dbLock), known(state.image), known(state.transaction)];
    if (transaction.state === "running") {
      throw new GuardError(`a pacman transaction is in progress: ${describeHolders(transaction)}`, {
        exitCode: 3 /* Refused */,
        hints: ["  nothing was changed; let it finish, then run guard update again"]
      });
    }
    if (transaction.state === "stale") {
      throw new GuardError(`${transaction.lockFile} exists but no process holds it (a stale lock file)`, {
        exitCode: 3 /* Refused */,
        hints: [`  nothing was changed; if no package manager is running, remove it: rm ${transaction.lockFile}`, "  then run guard update again"]
      });
    }
    const immutable = image.filter((entry) => entry.readOnly === "immutable");
    if (immutable.length > 0) {
      throw new GuardError(`${immutable.map(describeReadOnly).join(" and ")}: pacman cannot change it`, {
        exitCode: 3 /* Refused */,
        hints: ["  nothing was changed. Such a base is updated as a whole new image, not by pacman;", "  add software to it with: guard extend PACKAGE"]
      });
    }
    const toOpen = image.filter((entry) => entry.readOnly === "mount" || entry.readOnly === "superblock");
    const pidStart = await processStartTime(process.pid);
    if (pidStart === void 0) throw new GuardError("cannot read this process's start time from /proc", { exitCode: 4 /* StateUnknown */ });
    let record = {
      pid: process.pid,
      pidStart,
      started: (/* @__PURE__ */ new Date()).toISOString(),
      args,
      found: {
        merged: merged.filter((entry) => entry.kind === "sysext").map((entry) => ({ hierarchy: entry.hierarchy, extensions: entry.extensions })),
        locked: dbLock.locked
      },
      opened: [],
      baseBefore: await baseFingerprint(config.dbPath),
      phase: "preparing"
    };
    const phase = async (next, changes = {}) => {
      record = { ...record, ...changes, phase: next };
      await writeUpdateRecord(record);
    };
    await phase("preparing");
    const ignoreInterrupt = () => options.output.warning("guard update puts the system back before it exits; wait for it");
    process.on("SIGINT", ignoreInterrupt);
    let pacmanStatus = 1 /* Failure */;
    try {
      if (record.found.merged.length > 0) {
        options.output.heading("Unmerging system extensions...");
        await systemdSysext("unmerge");
      }
      if (dbLock.locked || record.found.merged.length > 0) await unlockDatabase(config.dbPath);
      const opened = await prepareHost(toOpen);
      await phase("running pacman", { opened });
      const where = toOpen.length > 0 ? ` (${toOpen.map((entry) => entry.hierarchy).join(", ")} writable for it alone)` : "";
      options.output.heading(`Running pacman ${args.join(" ")}${where}`);
      process.off("SIGINT", ignoreInterrupt);
      const exit = await runInWindow(toOpen, options.realPacman, args, options.env);
      process.on("SIGINT", ignoreInterrupt);
      pacmanStatus = exit.signal ? 128 + constants.signals[exit.signal] : exit.code ?? 1 /* Failure */;
    } finally {
      await phase("restoring");
      await restore(record, { ...options, dbPath: config.dbPath });
      process.off("SIGINT", ignoreInterrupt);
    }
    return pacmanStatus;
  });
}
async function finishUpdate(options) {
  const config = await readPacmanConfig();
  const found = await readUpdateRecord().catch((error) => {
    throw new GuardError(describeError(error), { exitCode: 4 /* StateUnknown */ });
  });
  if (!found) {
    options.output.line("there is no interrupted guard update to finish");
    return 0 /* Ok */;
  }
  if (found.running) {
    throw new GuardError(`guard update (pid ${found.record.pid}) is still running`, { exitCode: 3 /* Refused */, hints: ["  let it finish; see: guard status"] });
  }
  return exclusively(async () => {
    options.output.heading(`Finishing the guard update of ${found.record.started} (pid ${found.record.pid}, interrupted while ${found.record.phase})...`);
    await waitForNoTransaction(config.dbPath, options.waitSeconds ?? 300, "guard update --finish").catch((error) => {
      if (!(error instanceof GuardError)) throw error;
      throw new GuardError(error.message, { exitCode: error.exitCode, hints: ["  nothing was changed; when it is over, run guard update --finish again"], cause: error });
    });
    await restore(found.record, { ...options, dbPath: config.dbPath });
    return 0 /* Ok */;
  });
}
async function restore(record, options) {
  const store = options.store ?? EXTENSION_STORE;
  const { output } = options;
  await closeWindow(record.opened);
  const wantMerged = record.found.merged.length > 0;
  const wantLocked = record.found.locked || wantMerged;
  if (wantLocked) await lockDatabase(options.dbPath);
  let checks = [];
  if (wantMerged && await baseFingerprint(options.dbPath) !== record.baseBefore) {
    output.heading("Checking system extensions against the new base...");
    checks = await checkExtensions({ store, dbPath: options.dbPath, pacman: options.realPacman });
    const checked = new Set(checks.filter((check) => check.fit).map((check) => check.name));
    const unchecked = new Set(record.found.merged.flatMap((entry) => entry.extensions).filter((name) => !checked.has(name)));
    for (const name of [...unchecked].sort()) output.line(`    ${name}: not built by guard extend, not checked`);
    for (const check of checks) {
      if (!check.fit) continue;
      else if (check.fit.kind === "fits") output.line(`    ${check.name}: fits`);
      else if (check.fit.kind === "rebuild") output.line(`    ${check.name}: needs a rebuild: ${check.fit.reasons.join("; ")}`);
      else output.line(`    ${check.name}: does not fit: ${check.fit.reason}`);
    }
    await holdUnfit(store, checks);
  }
  if (wantMerged) {
    output.heading("Merging system extensions...");
    await merge(options.dbPath);
  }
  const rebuilt = /* @__PURE__ */ new Set();
  for (const check of checks) {
    if (check.fit?.kind !== "rebuild") continue;
    if (options.noRebuild) {
      output.warning(`extension ${check.name} is left unmerged (--no-rebuild): ${check.fit.reasons.join("; ")}`, `  rebuild it: guard extend --name ${check.name} ${check.targets.join(" ")}`);
      continue;
    }
    output.heading(`Rebuilding extension ${check.name}...`);
    try {
      await extend({ targets: check.targets, name: check.name, env: options.env, realPacman: options.realPacman, progress: (line) => output.line(`    ${line}`) }, store);
      await dropHeld(store, check.name);
      rebuilt.add(check.name);
    } catch (error) {
      output.warning(`extension ${check.name} is left unmerged: its rebuild failed: ${describeError(error)}`);
    }
  }
  const held = await listHeld(store);
  for (const extension of held) {
    output.warning(`extension ${extension.name} is not merged: ${extension.reason}`, `  its old tree is kept in ${extension.path}; remove it with: guard extend --remove ${extension.name}`);
  }
  const summary = await verify(record, { dbPath: options.dbPath, wantLocked, held: new Set(held.map((extension) => extension.name)) });
  await removeUpdateRecord();
  output.heading(`Put back as found: ${summary}`);
}
async function verify(record, expected) {
  const state = await probeSystem({ dbPath: expected.dbPath, skipTransaction: true });
  if (!state.merged.ok || !state.dbLock.ok || !state.image.ok) {
    throw new GuardError("cannot verify that the system was put back: the mount table cannot be read", { exitCode: 4 /* StateUnknown */, hints: ["  see: guard status; then: guard update --finish"] });
  }
  const problems = [];
  const mergedNow = new Set(state.merged.value.filter((entry) => entry.kind === "sysext").flatMap((entry) => entry.extensions));
  const wanted = new Set(record.found.merged.flatMap((entry) => entry.extensions).filter((name) => !expected.held.has(name)));
  for (const name of wanted) if (!mergedNow.has(name)) problems.push(`extension ${name} is not merged again`);
  if (state.dbLock.value.locked !== expected.wantLocked) problems.push(`${expected.dbPath} is ${state.dbLock.value.locked ? "locked" : "not locked"}`);
  for (const opened of record.opened) {
    const entry = state.image.value.find((candidate) => candidate.hierarchy === opened.hierarchy);
    if (entry && entry.readOnly === void 0) problems.push(`${opened.hierarchy} is writable`);
  }
  if (problems.length > 0) {
    throw new GuardError(`the system was not put back as guard update found it: ${problems.join("; ")}`, { exitCode: 1 /* Failure */, hints: ["  see: guard status; try again: guard update --finish"] });
  }
  return [
    mergedNow.size > 0 ? `merged ${[...mergedNow].sort().join(", ")}` : "nothing merged",
    `${state.dbPath} ${expected.wantLocked ? "locked" : "writable"}`,
    ...state.image.value.filter((entry) => entry.readOnly).map((entry) => `${entry.hierarchy} read-only`)
  ].join("; ");
}

export {
  runUpdate,
  finishUpdate
};
//# sourceMappingURL=chunk-VHHCGI5A.js.map
