import {
  dbLockState,
  describeHolders,
  normalizeDirectory,
  probeTransaction,
  processStartTime,
  readMounts
} from "./chunk-7PTK2B3L.js";
import {
  RUNTIME_DIR
} from "./chunk-ANAKCO4H.js";
import {
  extensionOverlays
} from "./chunk-SIRNJXXP.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/lock/serialize.ts
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import lockfile from "proper-lockfile";
var UNNAMED_STALE_MS = 5e3;
var MTIME_STALE_MS = 10 * 6e4;
var held = new AsyncLocalStorage();
var ownerFile = (file) => `${file}.owner`;
var lockDirectory = (file) => `${file}.lock`;
async function abandoned(file) {
  const lock = await stat(lockDirectory(file)).catch(() => void 0);
  if (!lock) return false;
  const owner = await readFile(ownerFile(file), "utf8").catch(() => void 0);
  if (owner === void 0) return Date.now() - lock.mtimeMs > UNNAMED_STALE_MS;
  const [pid, start] = owner.trim().split(" ");
  return !(pid !== void 0 && /^\d+$/.test(pid) && await processStartTime(Number(pid)) === start);
}
async function takeOver(file) {
  const mutex = `${file}.takeover`;
  try {
    await mkdir(mutex);
  } catch {
    const info = await stat(mutex).catch(() => void 0);
    if (info && Date.now() - info.mtimeMs > UNNAMED_STALE_MS) await rm(mutex, { recursive: true, force: true });
    return;
  }
  try {
    if (await abandoned(file)) {
      await rm(ownerFile(file), { force: true });
      await rm(lockDirectory(file), { recursive: true, force: true });
    }
  } finally {
    await rm(mutex, { recursive: true, force: true });
  }
}
async function acquire(file, waitMs) {
  const deadline = Date.now() + waitMs;
  for (; ; ) {
    try {
      const release = await lockfile.lock(file, { stale: MTIME_STALE_MS, update: 1e3, realpath: false, retries: 0 });
      const start = await processStartTime(process.pid);
      await writeFile(ownerFile(file), `${process.pid} ${start ?? ""}
`);
      return async () => {
        await rm(ownerFile(file), { force: true });
        await release();
      };
    } catch (error) {
      if (error.code !== "ELOCKED") throw error;
    }
    if (await abandoned(file)) {
      await takeOver(file);
      continue;
    }
    if (Date.now() >= deadline) throw Object.assign(new Error("the lock is held by another guard"), { code: "ELOCKED" });
    await sleep(50 + Math.random() * 50);
  }
}
async function serialized(work, options = {}) {
  const directory = options.runtimeDir ?? RUNTIME_DIR;
  const file = `${directory}/${options.lockName ?? "lock"}`;
  const holding = held.getStore() ?? /* @__PURE__ */ new Set();
  if (holding.has(file)) return work();
  let release;
  try {
    await mkdir(directory, { recursive: true, mode: 493 });
    await writeFile(file, "", { flag: "a" });
    release = await acquire(file, options.waitMs ?? 6e4);
  } catch (error) {
    throw new GuardError(`cannot take pacman-guard's own lock ${file}: ${describeError(error)}`, {
      exitCode: 1 /* Failure */,
      hints: ["  another guard is changing the lock; try again, or check: guard status"],
      cause: error
    });
  }
  try {
    return await held.run(/* @__PURE__ */ new Set([...holding, file]), work);
  } finally {
    await release().catch(() => void 0);
  }
}

// src/lock/lock.ts
import { stat as stat2 } from "node:fs/promises";
import { setTimeout as sleep2 } from "node:timers/promises";

// src/system/mount.ts
import { execa } from "execa";
async function run(file, args) {
  try {
    await execa(file, args, { timeout: 3e4, env: { LC_ALL: "C" } });
  } catch (error) {
    const failure = error;
    if (failure.code === "ENOENT") {
      throw new GuardError(`${file} is not installed`, { exitCode: 1 /* Failure */, hints: ["  install util-linux (mount, umount)"], cause: error });
    }
    throw new GuardError(`${[file, ...args].join(" ")} failed: ${failure.stderr?.trim() || failure.shortMessage || String(error)}`, { exitCode: 1 /* Failure */, cause: error });
  }
}
var KEPT_FLAGS = ["nosuid", "nodev", "noexec", "noatime", "nodiratime", "relatime", "strictatime"];
function keptFlags(mountOptions) {
  return mountOptions.filter((option) => KEPT_FLAGS.includes(option));
}
var bindOntoItself = (path) => run("mount", ["--bind", path, path]);
var remountBind = (path, mode, flags) => run("mount", ["-o", ["remount", "bind", mode, ...flags].join(","), path]);
var unmountTop = (path) => run("umount", [path]);
var remountFileSystem = (path, mode) => run("mount", ["-o", `remount,${mode}`, path]);

// src/lock/lock.ts
async function currentMounts() {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: 4 /* StateUnknown */, hints: ["  nothing was changed"] });
  return mounts.value;
}
async function lockState(dbPath) {
  return dbLockState(await currentMounts(), dbPath);
}
async function requireDirectory(dbPath) {
  let isDirectory;
  try {
    isDirectory = (await stat2(dbPath)).isDirectory();
  } catch (error) {
    throw new GuardError(`cannot use pacman's DBPath ${dbPath}: ${describeError(error)}`, { exitCode: 1 /* Failure */, hints: ["  nothing was changed"] });
  }
  if (!isDirectory) throw new GuardError(`pacman's DBPath ${dbPath} is not a directory`, { exitCode: 1 /* Failure */, hints: ["  nothing was changed"] });
}
function busy(transaction) {
  switch (transaction.state) {
    case "running":
      return `a pacman transaction is in progress: ${describeHolders(transaction)}`;
    case "stale":
      return `${transaction.lockFile} exists but no process holds it (a stale lock file)`;
    case "none":
      return void 0;
  }
}
async function waitForNoTransaction(dbPath, waitSeconds, command) {
  const deadline = Date.now() + waitSeconds * 1e3;
  for (; ; ) {
    const transaction = await probeTransaction(dbPath);
    const reason = busy(transaction);
    if (!reason) return;
    if (transaction.state === "stale") {
      throw new GuardError(`not locking: ${reason}`, {
        exitCode: 3 /* Refused */,
        hints: [`  if no package manager is running, remove it: rm ${transaction.lockFile}`, `  then run ${command} again`]
      });
    }
    if (Date.now() >= deadline) {
      throw new GuardError(`not locking under a running transaction: ${reason}`, {
        exitCode: 3 /* Refused */,
        hints: [`  let it finish, or wait for it: ${command} --wait`]
      });
    }
    await sleep2(200);
  }
}
async function lockDatabase(dbPathInput, options = {}) {
  const dbPath = normalizeDirectory(dbPathInput);
  await requireDirectory(dbPath);
  return serialized(async () => {
    const before = await lockState(dbPath);
    if (before.locked && before.selfBinds > 0) return "already locked";
    const flags = keptFlags(before.underlying?.mountOptions ?? []);
    if (before.remountedReadWrite) {
      await remountBind(dbPath, "ro", flags);
      await verifyLocked(dbPath, before.selfBinds);
      return "relocked";
    }
    await waitForNoTransaction(dbPath, options.waitSeconds ?? 0, options.command ?? "guard lock");
    await bindOntoItself(dbPath);
    try {
      await remountBind(dbPath, "ro", flags);
      const reason = busy(await probeTransaction(dbPath));
      if (reason) throw new GuardError(`not locking: ${reason} started while locking`, { exitCode: 3 /* Refused */, hints: [`  the lock was undone; try again: ${options.command ?? "guard lock"} --wait`] });
    } catch (error) {
      await unmountTop(dbPath).catch(() => void 0);
      throw error;
    }
    await verifyLocked(dbPath, before.selfBinds + 1);
    return "locked";
  }, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});
}
async function verifyLocked(dbPath, selfBinds) {
  const after = await lockState(dbPath);
  if (!after.locked || after.selfBinds !== selfBinds) {
    throw new GuardError(`locking ${dbPath} did not take: the mount table shows ${after.selfBinds} self-bind(s), ${after.locked ? "read-only" : "writable"}`, { exitCode: 1 /* Failure */, hints: ["  check: guard status"] });
  }
}
async function unlockDatabase(dbPathInput, options = {}) {
  const dbPath = normalizeDirectory(dbPathInput);
  return serialized(async () => {
    const mounts = await currentMounts();
    const merged = extensionOverlays(mounts);
    if (merged.length > 0 && !options.force) {
      throw new GuardError(`not unlocking ${dbPath}: system extensions are merged on ${merged.map(({ entry }) => entry.mountPoint).join(", ")}`, {
        exitCode: 3 /* Refused */,
        hints: ["  pacman must not run while extensions are merged; unmerge first (this also unlocks):", "    guard unmerge", "  or unlock anyway: guard unlock --force"]
      });
    }
    let state = dbLockState(mounts, dbPath);
    if (state.selfBinds === 0) return "not locked";
    while (state.selfBinds > 0) {
      if (!state.topSelfBind || state.topSelfBind !== state.stackTop) {
        throw new GuardError(`not unlocking: a mount that is not pacman-guard's lock is on top of ${dbPath}`, { exitCode: 1 /* Failure */, hints: ["  unmount it first; see: findmnt " + dbPath] });
      }
      await unmountTop(dbPath);
      state = await lockState(dbPath);
    }
    return "unlocked";
  }, options.runtimeDir ? { runtimeDir: options.runtimeDir } : {});
}

// src/lock/lifecycle.ts
import { execa as execa2 } from "execa";
async function systemdSysext(verb) {
  try {
    const { stdout, stderr } = await execa2("systemd-sysext", [verb], { timeout: 12e4, env: { LC_ALL: "C" } });
    return [stdout, stderr].filter(Boolean).join("\n");
  } catch (error) {
    const failure = error;
    if (failure.code === "ENOENT") throw new GuardError("systemd-sysext is not installed", { exitCode: 1 /* Failure */, cause: error });
    throw new GuardError(`systemd-sysext ${verb} failed: ${failure.stderr?.trim() || failure.shortMessage || String(error)}`, { exitCode: 1 /* Failure */, cause: error });
  }
}
async function anythingMerged() {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: 4 /* StateUnknown */ });
  return extensionOverlays(mounts.value).length > 0;
}
function lockLine(outcome, dbPath) {
  return `${outcome}: ${normalizeDirectory(dbPath)}`;
}
async function merge(dbPath, options = {}) {
  const lock = await lockDatabase(dbPath, options);
  if (await anythingMerged()) return ["already merged (guard refresh picks up changed extensions)", lockLine(lock, dbPath)].join("\n");
  try {
    return [await systemdSysext("merge"), lockLine(lock, dbPath)].filter(Boolean).join("\n");
  } catch (error) {
    if (lock === "locked" && !await anythingMerged()) await unlockDatabase(dbPath).catch(() => void 0);
    throw error;
  }
}
async function unmerge(dbPath) {
  const wasMerged = await anythingMerged().catch(() => true);
  const output = await systemdSysext("unmerge");
  return [output || (wasMerged ? "" : "nothing was merged"), lockLine(await unlockDatabase(dbPath), dbPath)].filter(Boolean).join("\n");
}
async function refresh(dbPath, options = {}) {
  await lockDatabase(dbPath, options);
  let output;
  try {
    output = await systemdSysext("refresh");
  } finally {
    if (!await anythingMerged()) await unlockDatabase(dbPath).catch(() => void 0);
  }
  return output;
}
async function settle(dbPath, options = {}) {
  if (await anythingMerged()) {
    await lockDatabase(dbPath, options);
    return "locked: extensions are merged";
  }
  await unlockDatabase(dbPath);
  return "unlocked: nothing is merged";
}

export {
  keptFlags,
  remountBind,
  remountFileSystem,
  serialized,
  waitForNoTransaction,
  lockDatabase,
  unlockDatabase,
  systemdSysext,
  merge,
  unmerge,
  refresh,
  settle
};
//# sourceMappingURL=chunk-2PSP3724.js.map
