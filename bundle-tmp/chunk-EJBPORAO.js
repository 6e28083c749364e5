// src/extend/conflicts.ts
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
function conflictsBetweenPackages(contents) {
  const owner = /* @__PURE__ */ new Map();
  const conflicts = [];
  for (const [name, paths] of contents) {
    for (const path of paths) {
      if (path.endsWith("/")) continue;
      const other = owner.get(path);
      if (other) conflicts.push({ path, package: name, with: `package ${other}` });
      else owner.set(path, name);
    }
  }
  return conflicts;
}
function conflictsWithSystem(carried, existing, options = {}) {
  const conflicts = [];
  for (const [name, paths] of carried) {
    for (const path of paths) {
      const isDirectory = path.endsWith("/");
      const bare = isDirectory ? path.slice(0, -1) : path;
      const kind = existing.get(bare) ?? "absent";
      if (kind === "absent" || isDirectory && kind === "directory") continue;
      const baseOwner = options.baseOwners?.get(bare);
      if (!isDirectory && options.ownPrevious?.has(bare) && baseOwner === void 0) continue;
      conflicts.push({ path: `/${bare}`, package: name, with: baseOwner ? `base package ${baseOwner}` : isDirectory ? "a non-directory on the running system" : "the running system" });
    }
  }
  return conflicts;
}
async function inspectExisting(paths, root = "/") {
  const kinds = /* @__PURE__ */ new Map();
  for (const path of paths) {
    const bare = path.endsWith("/") ? path.slice(0, -1) : path;
    try {
      kinds.set(bare, (await lstat(join(root, bare))).isDirectory() ? "directory" : "other");
    } catch (error) {
      const code = error.code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
      kinds.set(bare, "absent");
    }
  }
  return kinds;
}
async function baseOwners(dbPath, paths) {
  const owners = /* @__PURE__ */ new Map();
  if (paths.size === 0) return owners;
  const local = join(dbPath, "local");
  for (const entry of await readdir(local, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let text;
    try {
      text = await readFile(join(local, entry.name, "files"), "utf8");
    } catch {
      continue;
    }
    const name = localPackageName(entry.name);
    let inFiles = false;
    for (const line of text.split("\n")) {
      if (line.startsWith("%")) inFiles = line === "%FILES%";
      else if (inFiles && paths.has(line)) owners.set(line, name);
    }
  }
  return owners;
}
function localPackageName(directory) {
  return directory.split("-").slice(0, -2).join("-");
}

export {
  conflictsBetweenPackages,
  conflictsWithSystem,
  inspectExisting,
  baseOwners,
  localPackageName
};
//# sourceMappingURL=chunk-EJBPORAO.js.map
