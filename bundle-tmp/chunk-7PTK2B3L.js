import {
  RUNTIME_DIR
} from "./chunk-ANAKCO4H.js";
import {
  extensionHierarchies,
  isReadOnly,
  mergedHierarchies,
  mountStack,
  optionValue,
  parseMountinfo,
  readMarker
} from "./chunk-SIRNJXXP.js";
import {
  describeError
} from "./chunk-63T2ULCU.js";

// src/update/record.ts
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
var UPDATE_RECORD = join(RUNTIME_DIR, "update.json");
function startTimeFromStat(stat2) {
  const fields = stat2.slice(stat2.lastIndexOf(")") + 2).split(" ");
  return fields[19];
}
async function processStartTime(pid, procRoot = "/proc") {
  try {
    return startTimeFromStat(await readFile(`${procRoot}/${pid}/stat`, "utf8"));
  } catch {
    return void 0;
  }
}
function isRecord(value) {
  const record = value;
  return typeof record === "object" && record !== null && Number.isInteger(record.pid) && typeof record.pidStart === "string" && typeof record.started === "string" && Array.isArray(record.args) && typeof record.found === "object" && record.found !== null && Array.isArray(record.found.merged) && typeof record.found.locked === "boolean" && Array.isArray(record.opened) && typeof record.baseBefore === "string" && typeof record.phase === "string";
}
async function readUpdateRecord(path = UPDATE_RECORD, procRoot = "/proc") {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new Error(`cannot read ${path}: ${error.message}`, { cause: error });
  }
  let record;
  try {
    record = JSON.parse(text);
  } catch {
    record = void 0;
  }
  if (!isRecord(record)) throw new Error(`${path} is not a guard update record`);
  return { record, running: await processStartTime(record.pid, procRoot) === record.pidStart };
}
async function writeUpdateRecord(record, path = UPDATE_RECORD) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}
`, { mode: 420 });
  await rename(temporary, path);
}
async function removeUpdateRecord(path = UPDATE_RECORD) {
  await rm(path, { force: true });
}

// src/system/db-lock.ts
function normalizeDirectory(path) {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed.replace(/\/{2,}/g, "/");
}
function isWithin(path, mountPoint) {
  return mountPoint === "/" || path === mountPoint || path.startsWith(`${mountPoint}/`);
}
function enclosingMount(entries, path) {
  let best;
  for (const entry of entries) {
    if (entry.mountPoint === path || !isWithin(path, entry.mountPoint)) continue;
    if (!best || entry.mountPoint.length > best.mountPoint.length) best = entry;
  }
  return best && (mountStack(entries, best.mountPoint).at(-1) ?? best);
}
function joinRoot(root, relative) {
  return normalizeDirectory(`${root}/${relative}`);
}
function dbLockState(entries, dbPathInput) {
  const dbPath = normalizeDirectory(dbPathInput);
  const stack = mountStack(entries, dbPath);
  const enclosing = enclosingMount(entries, dbPath);
  let underlying;
  let expectedRoot;
  if (enclosing) {
    const relative = dbPath.slice(enclosing.mountPoint === "/" ? 0 : enclosing.mountPoint.length);
    expectedRoot = joinRoot(enclosing.root, relative);
    underlying = enclosing;
  }
  const bottom = stack[0];
  if (bottom && !(underlying && bottom.device === underlying.device && bottom.root === expectedRoot)) {
    underlying = bottom;
    expectedRoot = bottom.root;
  }
  const isSelfBind = (entry) => entry !== underlying && entry.device === underlying?.device && entry.root === expectedRoot;
  const selfBinds = stack.filter(isSelfBind);
  const visible = stack.at(-1) ?? enclosing;
  const locked = visible !== void 0 && isReadOnly(visible);
  const topSelfBind = selfBinds.at(-1);
  return {
    dbPath,
    locked,
    selfBinds: selfBinds.length,
    remountedReadWrite: selfBinds.length > 0 && !locked,
    ...topSelfBind ? { topSelfBind } : {},
    ...stack.length > 0 ? { stackTop: stack.at(-1) } : {},
    ...underlying ? { underlying } : {}
  };
}

// src/system/image.ts
var IMMUTABLE_FILE_SYSTEMS = /* @__PURE__ */ new Set(["squashfs", "erofs", "iso9660", "cramfs", "romfs", "udf"]);
var isExtensionOverlay = (entry) => entry.fsType === "overlay" && (entry.source === "sysext" || entry.source === "confext");
var isWithin2 = (path, mountPoint) => mountPoint === "/" || path === mountPoint || path.startsWith(`${mountPoint}/`);
function baseMount(entries, path) {
  let best;
  for (const entry of entries) {
    if (!isWithin2(path, entry.mountPoint) || isExtensionOverlay(entry)) continue;
    if (!best || entry.mountPoint.length > best.mountPoint.length) best = entry;
  }
  if (!best) return void 0;
  const stack = mountStack(entries, best.mountPoint).filter((entry) => !isExtensionOverlay(entry));
  return stack.at(-1) ?? best;
}
function immutableBecause(mount, verityDevices2) {
  if (IMMUTABLE_FILE_SYSTEMS.has(mount.fsType)) return `a ${mount.fsType} file system`;
  if (mount.fsType === "overlay" && optionValue(mount.superOptions, "upperdir") === void 0) return "an overlay with no upper layer";
  if (verityDevices2.has(mount.device)) return "on a dm-verity device";
  return void 0;
}
function imageHierarchies(entries, hierarchies, verityDevices2 = /* @__PURE__ */ new Set()) {
  const found = [];
  for (const hierarchy of hierarchies) {
    const mount = baseMount(entries, hierarchy);
    if (!mount) continue;
    const superblockReadOnly = mount.superOptions[0] === "ro" || mount.superOptions.includes("ro");
    const mountReadOnly = mount.mountOptions[0] === "ro" || mount.mountOptions.includes("ro");
    const because = immutableBecause(mount, verityDevices2);
    if (because !== void 0 && (mountReadOnly || superblockReadOnly || mount.fsType === "overlay")) {
      found.push({ hierarchy, mount, readOnly: "immutable", immutableBecause: because });
    } else if (superblockReadOnly) found.push({ hierarchy, mount, readOnly: "superblock" });
    else if (mountReadOnly) found.push({ hierarchy, mount, readOnly: "mount" });
    else found.push({ hierarchy, mount });
  }
  return found;
}
function describeReadOnly(entry) {
  switch (entry.readOnly) {
    case "mount":
      return `${entry.hierarchy} is mounted read-only`;
    case "superblock":
      return `${entry.hierarchy} is a read-only file system`;
    case "immutable":
      return `${entry.hierarchy} is an immutable image (${entry.immutableBecause})`;
    case void 0:
      return `${entry.hierarchy} is writable`;
  }
}

// src/system/transaction.ts
import { readFile as readFile2, readdir, readlink, stat } from "node:fs/promises";
function lockFilePath(dbPath) {
  return `${normalizeDirectory(dbPath)}/db.lck`.replace(/^\/\//, "/");
}
var LOCK_TAKERS = /* @__PURE__ */ new Set(["pacman", "pamac-daemon", "packagekitd"]);
function transactionStateOf(lockFileExists, holders) {
  if (!lockFileExists) return "none";
  return holders.length > 0 ? "running" : "stale";
}
async function processName(procRoot, pid) {
  return (await readFile2(`${procRoot}/${pid}/comm`, "utf8").catch(() => "")).trim();
}
async function findLockHolders(target, procRoot = "/proc", exceptPid = process.pid) {
  const holders = [];
  for (const entry of await readdir(procRoot)) {
    if (!/^\d+$/.test(entry) || Number(entry) === exceptPid) continue;
    let descriptors;
    try {
      descriptors = await readdir(`${procRoot}/${entry}/fd`);
    } catch (error) {
      const code = error.code;
      if (code === "EACCES" || code === "EPERM") {
        const name = await processName(procRoot, entry);
        if (LOCK_TAKERS.has(name)) holders.push({ pid: Number(entry), name, assumed: true });
      }
      continue;
    }
    for (const descriptor of descriptors) {
      const link = `${procRoot}/${entry}/fd/${descriptor}`;
      const text = await readlink(link).catch(() => "");
      if (!text.endsWith("/db.lck") && !text.endsWith("/db.lck (deleted)")) continue;
      const info = await stat(link).catch(() => void 0);
      if (info && info.dev === target.dev && info.ino === target.ino) {
        holders.push({ pid: Number(entry), name: await processName(procRoot, entry) });
        break;
      }
    }
  }
  return holders;
}
async function probeTransaction(dbPath, procRoot = "/proc") {
  const lockFile = lockFilePath(dbPath);
  const info = await stat(lockFile).catch(() => void 0);
  if (!info) return { lockFile, lockFileExists: false, holders: [], state: "none" };
  const holders = await findLockHolders({ dev: info.dev, ino: info.ino }, procRoot);
  return { lockFile, lockFileExists: true, holders, state: transactionStateOf(true, holders) };
}
function describeHolders(transaction) {
  const who = transaction.holders.map((holder) => `${holder.name || "a process"} (pid ${holder.pid}${holder.assumed ? ", by its name" : ""})`).join(", ");
  return `${who} ${transaction.holders.length === 1 ? "holds" : "hold"} ${transaction.lockFile}`;
}

// src/system/probe.ts
import { readFile as readFile3 } from "node:fs/promises";
var failed = (reason) => ({ ok: false, reason });
async function readMounts(path = "/proc/self/mountinfo") {
  let text;
  try {
    text = await readFile3(path, "utf8");
  } catch (error) {
    return failed(`cannot read ${path}: ${describeError(error)}`);
  }
  try {
    return { ok: true, value: parseMountinfo(text) };
  } catch (error) {
    return failed(`cannot parse ${path}: ${describeError(error)}`);
  }
}
async function probeSystem(options) {
  const dbPath = normalizeDirectory(options.dbPath);
  const mounts = await readMounts(options.mountinfoPath);
  const [merged, transaction] = await Promise.all([
    mounts.ok ? mergedHierarchies(mounts.value, readMarker).then((value) => ({ ok: true, value })) : Promise.resolve(failed(mounts.reason)),
    options.skipTransaction ? Promise.resolve(failed("not probed")) : probeTransaction(dbPath, options.procRoot).then(
      (value) => ({ ok: true, value }),
      (error) => failed(`cannot look for running pacman processes: ${describeError(error)}`)
    )
  ]);
  const dbLock = mounts.ok ? { ok: true, value: dbLockState(mounts.value, dbPath) } : failed(mounts.reason);
  const [image, update] = await Promise.all([
    mounts.ok ? probeImage(mounts.value, options.hierarchies ?? extensionHierarchies(process.env, "sysext")) : Promise.resolve(failed(mounts.reason)),
    readUpdateRecord(options.updateRecordPath, options.procRoot).then(
      (value) => ({ ok: true, value }),
      (error) => failed(`cannot tell whether a guard update is in progress: ${describeError(error)}`)
    )
  ]);
  return { dbPath, mounts, merged, dbLock, transaction, image, update };
}
async function verityDevices(devices) {
  const found = /* @__PURE__ */ new Set();
  await Promise.all(devices.map(async (device) => {
    const uuid = await readFile3(`/sys/dev/block/${device}/dm/uuid`, "utf8").catch(() => "");
    if (uuid.startsWith("CRYPT-VERITY-")) found.add(device);
  }));
  return found;
}
async function probeImage(mounts, hierarchies) {
  const first = imageHierarchies(mounts, hierarchies);
  const readOnlyDevices = first.filter((entry) => entry.readOnly !== void 0 && entry.readOnly !== "immutable").map((entry) => entry.mount.device);
  if (readOnlyDevices.length === 0) return { ok: true, value: first };
  return { ok: true, value: imageHierarchies(mounts, hierarchies, await verityDevices(readOnlyDevices)) };
}
function engagementOf(state) {
  if (!state.merged.ok) return { known: false, reason: state.merged.reason };
  if (!state.dbLock.ok) return { known: false, reason: state.dbLock.reason };
  if (!state.image.ok) return { known: false, reason: state.image.reason };
  if (!state.update.ok) return { known: false, reason: state.update.reason };
  const readOnly = state.image.value.filter((entry) => entry.readOnly !== void 0).map((entry) => ({ hierarchy: entry.hierarchy, description: describeReadOnly(entry) }));
  const update = state.update.value;
  return {
    ...readOnly.length > 0 ? { readOnly } : {},
    ...update ? { update: { pid: update.record.pid, started: update.record.started, running: update.running } } : {},
    known: true,
    merged: state.merged.value.map((entry) => ({
      hierarchy: entry.hierarchy,
      extensions: entry.extensions,
      ...entry.since ? { since: entry.since } : {},
      mutable: entry.mutable
    })),
    locked: state.dbLock.value.locked,
    dbPath: state.dbPath
  };
}

export {
  processStartTime,
  readUpdateRecord,
  writeUpdateRecord,
  removeUpdateRecord,
  normalizeDirectory,
  dbLockState,
  baseMount,
  describeReadOnly,
  probeTransaction,
  describeHolders,
  readMounts,
  probeSystem,
  engagementOf
};
//# sourceMappingURL=chunk-7PTK2B3L.js.map
