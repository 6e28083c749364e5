import {
  baseOwners,
  conflictsBetweenPackages,
  conflictsWithSystem,
  inspectExisting,
  localPackageName
} from "./chunk-EJBPORAO.js";
import {
  HOOK_NAME,
  SYSTEM_HOOK_DIRECTORY
} from "./chunk-CV7VYEZC.js";
import {
  VERSION
} from "./chunk-FG7EVZGW.js";
import {
  refresh,
  serialized
} from "./chunk-2PSP3724.js";
import {
  readMounts
} from "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import {
  extensionHierarchies,
  mergedHierarchies
} from "./chunk-SIRNJXXP.js";
import {
  EXTENSION_STORE,
  createWorkDirectory,
  dropHeld,
  extensionReleasePath,
  listHeld,
  listStore,
  nameTakenElsewhere,
  notOurs,
  provenancePath,
  readProvenance,
  removeWorkDirectory,
  swapIn,
  takeOut,
  validExtensionName
} from "./chunk-QHI3HJOS.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/extend/extend.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir as mkdir3, readFile as readFile2, readdir as readdir2, realpath, writeFile } from "node:fs/promises";
import { machine } from "node:os";
import { join as join4, resolve as resolvePath } from "node:path";

// src/extend/fnmatch.ts
function fnmatchToRegExp(pattern) {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else if (char === "\\" && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]);
    else if (char === "[") {
      const end = classEnd(pattern, index);
      if (end === -1) {
        source += "\\[";
        continue;
      }
      let body = pattern.slice(index + 1, end);
      let negated = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        negated = true;
        body = body.slice(1);
      }
      source += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      index = end;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, "s");
}
function classEnd(pattern, start) {
  let index = start + 1;
  if (pattern[index] === "!" || pattern[index] === "^") index++;
  if (pattern[index] === "]") index++;
  const end = pattern.indexOf("]", index);
  return end;
}
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
function matchesTargets(patterns, text) {
  for (let index = patterns.length - 1; index >= 0; index--) {
    let pattern = patterns[index];
    const inverted = pattern.startsWith("!");
    if (inverted || pattern.startsWith("\\")) pattern = pattern.slice(1);
    if (fnmatchToRegExp(pattern).test(text)) return !inverted;
  }
  return false;
}

// src/extend/alpm-hooks.ts
function parseAlpmHook(name, text) {
  const triggers = [];
  const action = {};
  let section;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      if (section === "Trigger") triggers.push({ operations: [], targets: [] });
      continue;
    }
    const equals = line.indexOf("=");
    const key = (equals === -1 ? line : line.slice(0, equals)).trim();
    const value = equals === -1 ? "" : line.slice(equals + 1).trim();
    const trigger = triggers.at(-1);
    if (section === "Trigger" && trigger) {
      if (key === "Operation" && (value === "Install" || value === "Upgrade" || value === "Remove")) trigger.operations.push(value);
      else if (key === "Type") trigger.type = value === "File" ? "Path" : value;
      else if (key === "Target") trigger.targets.push(value);
    } else if (section === "Action") {
      action[key] = value;
    }
  }
  const valid = triggers.length > 0 && triggers.every((trigger) => trigger.operations.length > 0 && trigger.targets.length > 0 && (trigger.type === "Path" || trigger.type === "Package"));
  if (!valid || action.Exec === void 0) return void 0;
  return {
    name,
    triggers: triggers.map((trigger) => ({ operations: trigger.operations, type: trigger.type, targets: trigger.targets })),
    ...action.Description !== void 0 ? { description: action.Description } : {},
    ...action.When !== void 0 ? { when: action.When } : {},
    exec: action.Exec
  };
}
function triggeredHooks(hooks, packageNames, paths, operation = "Install") {
  const effective = /* @__PURE__ */ new Map();
  for (const hook of hooks) effective.set(hook.name, hook);
  return [...effective.values()].filter((hook) => hook.triggers.some((trigger) => {
    if (!trigger.operations.includes(operation)) return false;
    const candidates = trigger.type === "Package" ? packageNames : paths;
    return candidates.some((candidate) => matchesTargets(trigger.targets, candidate));
  }));
}

// src/extend/contents.ts
var METADATA = /* @__PURE__ */ new Set([".PKGINFO", ".MTREE", ".BUILDINFO", ".INSTALL", ".CHANGELOG"]);
function hierarchyPrefix(hierarchy) {
  return `${hierarchy.replace(/^\/+|\/+$/g, "")}/`;
}
function classifyContents(paths, hierarchies) {
  const prefixes = hierarchies.map(hierarchyPrefix);
  const carried = [];
  const dropped = [];
  for (const path of paths) {
    if (METADATA.has(path)) continue;
    if (prefixes.some((prefix) => path.startsWith(prefix))) carried.push(path);
    else dropped.push(path);
  }
  const sysusers = carried.filter((path) => /^usr\/lib\/sysusers\.d\/[^/]+\.conf$/.test(path));
  return { carried, dropped, sysusers };
}
function scriptletFunctions(text) {
  const found = /* @__PURE__ */ new Set();
  const name = "((?:pre|post)_(?:install|upgrade|remove))";
  for (const match of text.matchAll(new RegExp(`^\\s*(?:function\\s+${name}\\b|${name}\\s*\\(\\s*\\))`, "gm"))) {
    found.add(match[1] ?? match[2]);
  }
  return [...found];
}
function parsePkgInfo(text) {
  const fields = /* @__PURE__ */ new Map();
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const equals = line.indexOf(" = ");
    if (equals === -1) continue;
    const key = line.slice(0, equals);
    fields.set(key, [...fields.get(key) ?? [], line.slice(equals + 3)]);
  }
  return fields;
}
function summarizeDropped(dropped) {
  const sorted = [...dropped].sort();
  return sorted.filter((path, index) => !path.endsWith("/") || !(sorted[index + 1]?.startsWith(path) ?? false));
}

// src/extend/extract.ts
import { readdir, rename, lstat, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
var BSDTAR_EXTRACT_ARGS = ["-x", "--preserve-permissions", "--xattrs", "--acls", "--numeric-owner"];
async function extractPackage(file, directory, bsdtar = "bsdtar") {
  await mkdir(directory, { recursive: true });
  try {
    await execa(bsdtar, [...BSDTAR_EXTRACT_ARGS, "-f", file, "-C", directory], { env: { LC_ALL: "C" }, timeout: 30 * 6e4 });
  } catch (error) {
    const failure = error;
    if (failure.code === "ENOENT") throw new GuardError("bsdtar is not installed", { hints: ["  install libarchive (bsdtar)"], cause: error });
    throw new GuardError(`cannot extract ${file}: ${failure.stderr?.trim() || failure.shortMessage || String(error)}`, { cause: error });
  }
}
async function listTree(root) {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries.map((entry) => {
    const relative = join(entry.parentPath ?? entry.path, entry.name).slice(root.length + 1);
    return entry.isDirectory() ? `${relative}/` : relative;
  });
  return paths.sort();
}
async function moveTree(source, target) {
  let existing;
  try {
    existing = await lstat(target);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
    await rename(source, target);
    return;
  }
  const incoming = await lstat(source);
  if (!existing.isDirectory() || !incoming.isDirectory()) throw new GuardError(`${target} exists twice in the extension`);
  for (const name of await readdir(source)) await moveTree(join(source, name), join(target, name));
}

// src/extend/unpack.ts
import { lstat as lstat2, mkdir as mkdir2, readFile } from "node:fs/promises";
import { join as join2 } from "node:path";
async function unpackPackage(file, directory, hierarchies) {
  await extractPackage(file, directory);
  const paths = await listTree(directory);
  const [pkgInfo, install] = await Promise.all([
    readFile(join2(directory, ".PKGINFO"), "utf8").catch(() => ""),
    readFile(join2(directory, ".INSTALL"), "utf8").catch(() => void 0)
  ]);
  return {
    directory,
    paths,
    contents: classifyContents(paths, hierarchies),
    pkgInfo: parsePkgInfo(pkgInfo),
    ...install !== void 0 ? { install } : {}
  };
}
async function moveHierarchies(unpacked, tree, hierarchies) {
  for (const hierarchy of hierarchies) {
    const relative = hierarchyPrefix(hierarchy).slice(0, -1);
    const source = join2(unpacked.directory, relative);
    if (!await lstat2(source).then((status) => status.isDirectory(), () => false)) continue;
    await mkdir2(join2(tree, relative, ".."), { recursive: true, mode: 493 });
    await moveTree(source, join2(tree, relative));
  }
}

// src/extend/release.ts
function parseOsRelease(text) {
  const fields = /* @__PURE__ */ new Map();
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\`$])/g, "$1");
    }
    fields.set(match[1], value);
  }
  return fields;
}
var ARCHITECTURES = [
  [/^x86_64$/, "x86-64"],
  [/^i[3-6]86$/, "x86"],
  [/^aarch64$/, "arm64"],
  [/^aarch64_be$/, "arm64-be"],
  [/^arm.*b$/, "arm-be"],
  [/^arm/, "arm"],
  [/^riscv64$/, "riscv64"],
  [/^riscv32$/, "riscv32"],
  [/^loongarch64$/, "loongarch64"],
  [/^ppc64le$/, "ppc64-le"],
  [/^ppc64$/, "ppc64"],
  [/^ppcle$/, "ppc-le"],
  [/^ppc$/, "ppc"],
  [/^s390x$/, "s390x"],
  [/^s390$/, "s390"],
  [/^mips64el$/, "mips64-le"],
  [/^mips64$/, "mips64"],
  [/^mipsel$/, "mips-le"],
  [/^mips$/, "mips"],
  [/^sparc64$/, "sparc64"],
  [/^alpha$/, "alpha"],
  [/^ia64$/, "ia64"],
  [/^m68k$/, "m68k"]
];
function systemdArchitecture(machine2) {
  return ARCHITECTURES.find(([pattern]) => pattern.test(machine2))?.[1];
}
function extensionReleaseFields(osRelease, machine2) {
  const id = osRelease.get("ID");
  if (!id) throw new Error("os-release has no ID");
  const fields = [["ID", id]];
  const notes = [];
  const architecture = systemdArchitecture(machine2);
  if (architecture) fields.push(["ARCHITECTURE", architecture]);
  else notes.push(`machine '${machine2}' has no systemd architecture name: the extension is not tied to an architecture`);
  const sysextLevel = osRelease.get("SYSEXT_LEVEL");
  const versionId = osRelease.get("VERSION_ID");
  if (sysextLevel) fields.push(["SYSEXT_LEVEL", sysextLevel]);
  else if (versionId) fields.push(["VERSION_ID", versionId]);
  else notes.push(`os-release has neither SYSEXT_LEVEL nor VERSION_ID (a rolling release): the extension matches any ${id} base`);
  return { fields, notes };
}
function renderExtensionRelease(fields) {
  return fields.map(([key, value]) => `${key}=${value}
`).join("");
}

// src/extend/resolve.ts
import { cp, mkdtemp, rm, symlink, access } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join as join3 } from "node:path";
import { execa as execa2 } from "execa";
var PRINT_FORMAT = "%n	%v	%r	%l";
function parsePrintedTargets(stdout) {
  const packages = [];
  for (const line of stdout.split("\n")) {
    const fields = line.split("	");
    if (fields.length !== 4 || fields.some((field) => field === "")) continue;
    const [name, version, repository, location] = fields;
    packages.push({ name, version, repository, location });
  }
  return packages;
}
async function pacmanCall(resolver, args, what) {
  try {
    const { stdout } = await execa2(resolver.pacman, ["--dbpath", resolver.privateDbPath, "--noconfirm", "--noprogressbar", "--color", "never", ...args], {
      env: { LC_ALL: "C" },
      timeout: 30 * 6e4
    });
    return stdout;
  } catch (error) {
    const failure = error;
    if (failure.code === "ENOENT") throw new GuardError(`${resolver.pacman} is not installed`, { cause: error });
    const said = [failure.stderr, failure.stdout].map((text) => text?.trim()).filter(Boolean).join("\n");
    const errors = said.split("\n").filter((line) => line.startsWith("error:")).map((line) => line.slice("error:".length).trim());
    throw new GuardError(`cannot ${what}: ${errors.join("; ") || said || failure.shortMessage || String(error)}`, { cause: error });
  }
}
async function openResolver(pacman, dbPath) {
  const privateDbPath = await mkdtemp(join3(tmpdir(), "pacman-guard-extend-"));
  const dispose = () => rm(privateDbPath, { recursive: true, force: true });
  try {
    await symlink(join3(dbPath, "local"), join3(privateDbPath, "local"));
    await cp(join3(dbPath, "sync"), join3(privateDbPath, "sync"), { recursive: true }).catch((error) => {
      if (error.code !== "ENOENT") throw error;
    });
  } catch (error) {
    await dispose();
    throw new GuardError(`cannot copy pacman's sync databases from ${dbPath}: ${error.message}`, { cause: error });
  }
  return { pacman, dbPath, privateDbPath, dispose };
}
async function refreshSyncDatabases(resolver) {
  await pacmanCall(resolver, ["-Sy"], "refresh the sync databases");
}
async function resolveTargets(resolver, names, files, assumeInstalled = []) {
  const assume = assumeInstalled.flatMap((spec) => ["--assume-installed", spec]);
  const printed = [];
  if (names.length > 0) printed.push(...parsePrintedTargets(await pacmanCall(resolver, ["-S", "--print-format", PRINT_FORMAT, ...assume, "--", ...names], "resolve the packages")));
  if (files.length > 0) printed.push(...parsePrintedTargets(await pacmanCall(resolver, ["-U", "--print-format", PRINT_FORMAT, ...assume, "--", ...files], "read the package files")));
  const requested = new Set(names.map((name) => name.split("/").at(-1)));
  const requestedFiles = new Set(files);
  const byName = /* @__PURE__ */ new Map();
  for (const entry of printed) {
    const explicit = requested.has(entry.name) || entry.repository === "local" && requestedFiles.has(entry.location);
    const previous = byName.get(entry.name);
    if (previous && (previous.version !== entry.version || previous.location !== entry.location)) {
      throw new GuardError(`${entry.name} is wanted twice, as ${previous.version} (${previous.location}) and ${entry.version} (${entry.location})`, { exitCode: 2 /* Usage */ });
    }
    byName.set(entry.name, { ...entry, explicit: explicit || (previous?.explicit ?? false) });
  }
  return [...byName.values()];
}
async function fetchPackages(resolver, packages, cacheDirs) {
  const fromRepositories = packages.filter((entry) => entry.repository !== "local");
  if (fromRepositories.length > 0) {
    await pacmanCall(resolver, ["-Sw", "--nodeps", "--nodeps", "--", ...fromRepositories.map((entry) => `${entry.repository}/${entry.name}`)], "download the packages");
  }
  const files = /* @__PURE__ */ new Map();
  for (const entry of packages) {
    if (entry.repository === "local") {
      files.set(entry.name, entry.location);
      continue;
    }
    const fileName = decodeURIComponent(basename(new URL(entry.location).pathname));
    const found = await firstExisting(cacheDirs.map((directory) => join3(directory, fileName)));
    if (!found) throw new GuardError(`pacman downloaded ${fileName}, but it is in none of the cache directories (${cacheDirs.join(", ")})`);
    files.set(entry.name, found);
  }
  return files;
}
async function firstExisting(paths) {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {
    }
  }
  return void 0;
}

// src/extend/extend.ts
function isPackageFile(target) {
  return /\.pkg\.tar(\.[a-z0-9]+)?$/.test(target) || /^[a-z]+:\/\//.test(target);
}
async function readOsRelease() {
  for (const path of ["/etc/os-release", "/usr/lib/os-release"]) {
    try {
      return parseOsRelease(await readFile2(path, "utf8"));
    } catch {
    }
  }
  throw new GuardError("cannot read os-release (/etc/os-release, /usr/lib/os-release): the extension could not be matched to this system");
}
async function readHooks(config) {
  const hooks = [];
  for (const directory of [SYSTEM_HOOK_DIRECTORY, ...config.hookDirs]) {
    let names;
    try {
      names = (await readdir2(directory)).filter((name) => name.endsWith(".hook")).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join4(directory, name);
      if (await realpath(path).catch(() => path) === "/dev/null") {
        hooks.push({ name, triggers: [] });
        continue;
      }
      const hook = parseAlpmHook(name, await readFile2(path, "utf8").catch(() => ""));
      if (hook) hooks.push(hook);
    }
  }
  return hooks;
}
async function sha256(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}
function conflictError(conflicts) {
  const shown = conflicts.slice(0, 20).map((conflict) => `  ${conflict.path} (${conflict.package}) exists in ${conflict.with}`);
  if (conflicts.length > 20) shown.push(`  \u2026 and ${conflicts.length - 20} more`);
  return new GuardError(`refusing to build the extension: ${conflicts.length} file(s) would silently shadow existing ones`, {
    exitCode: 3 /* Refused */,
    hints: [...shown, "  an overlay hides such files instead of failing; install these packages on the base system instead (guard unmerge, then pacman)"]
  });
}
async function carriedElsewhere(store, except) {
  return (await listStore(store)).filter((extension) => extension.name !== except).flatMap((extension) => extension.provenance?.packages.map((entry) => `${entry.name}=${entry.version}`) ?? []);
}
async function mergedExtensionNames() {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: 4 /* StateUnknown */ });
  const merged = await mergedHierarchies(mounts.value);
  return new Set(merged.filter((entry) => entry.kind === "sysext").flatMap((entry) => entry.extensions));
}
async function refreshExpecting(dbPath, name, merged) {
  await refresh(dbPath);
  const names = await mergedExtensionNames();
  if (names.has(name) !== merged) {
    throw new GuardError(merged ? `systemd-sysext did not merge extension ${name}: its extension-release does not match this system (run: SYSTEMD_LOG_LEVEL=debug systemd-sysext refresh)` : `extension ${name} is still merged after systemd-sysext refresh`);
  }
}
async function extend(request, store = EXTENSION_STORE) {
  if (request.targets.length === 0) throw new GuardError("no targets specified", { exitCode: 2 /* Usage */, hints: ["  run 'guard extend --help' for usage"] });
  if (process.getuid?.() !== 0) throw new GuardError("you cannot perform this operation unless you are root.", { exitCode: 1 /* Failure */ });
  const config = await readPacmanConfig();
  const hierarchies = extensionHierarchies(request.env, "sysext");
  const files = request.targets.filter(isPackageFile).map((target) => /^[a-z]+:\/\//.test(target) ? target : resolvePath(target));
  const names = request.targets.filter((target) => !isPackageFile(target));
  const releaseFields = extensionReleaseFields(await readOsRelease(), machine());
  await mkdir3(store, { recursive: true, mode: 493 });
  return serialized(async () => {
    const resolver = await openResolver(request.realPacman, config.dbPath);
    let work;
    try {
      if (request.refreshDatabases) {
        request.progress("Synchronizing a private copy of the package databases...");
        await refreshSyncDatabases(resolver);
      }
      request.progress("Resolving packages...");
      const provisional = await resolveTargets(resolver, names, files);
      const name = request.name ?? provisional.find((entry) => entry.explicit)?.name ?? provisional[0]?.name;
      if (!name || !validExtensionName(name)) {
        throw new GuardError(`invalid extension name '${name ?? ""}'`, { exitCode: 2 /* Usage */, hints: ["  use --name with letters, digits and _ . + @ -"] });
      }
      const elsewhere = await nameTakenElsewhere(name, store);
      if (elsewhere) throw new GuardError(`an extension named ${name} already exists in ${elsewhere}`, { exitCode: 2 /* Usage */, hints: ["  choose another name with --name"] });
      const previous = (await listStore(store)).find((extension) => extension.name === name);
      if (previous && !previous.provenance) throw notOurs(name, previous.path);
      const assumed = await carriedElsewhere(store, name);
      const packages = assumed.length > 0 ? await resolveTargets(resolver, names, files, assumed) : provisional;
      const installed = new Set((await readdir2(join4(config.dbPath, "local"))).map(localPackageName));
      const inBase = packages.filter((entry) => installed.has(entry.name));
      if (inBase.length > 0) {
        throw new GuardError(`${inBase.map((entry) => entry.name).join(", ")} ${inBase.length === 1 ? "is" : "are"} installed on the base system; an extension cannot replace base packages`, {
          exitCode: 3 /* Refused */,
          hints: ["  to upgrade the base: guard unmerge, then pacman -Syu, then guard merge"]
        });
      }
      request.progress(`Retrieving ${packages.length} package(s): ${packages.map((entry) => `${entry.name}-${entry.version}`).join(" ")}`);
      const packageFiles = await fetchPackages(resolver, packages, config.cacheDirs);
      work = await createWorkDirectory(store, name);
      const tree = join4(work, "tree");
      await mkdir3(tree, { mode: 493 });
      request.progress("Extracting packages...");
      const carried = /* @__PURE__ */ new Map();
      const notCarried = { files: {}, scriptlets: {}, hooks: [], sysusers: {} };
      const allPaths = [];
      const provenancePackages = [];
      const unpacked = /* @__PURE__ */ new Map();
      for (const entry of packages) {
        const file = packageFiles.get(entry.name);
        const unpackedPackage = await unpackPackage(file, join4(work, "packages", entry.name), hierarchies);
        unpacked.set(entry.name, unpackedPackage);
        const { contents, pkgInfo, install, paths } = unpackedPackage;
        carried.set(entry.name, [...contents.carried]);
        allPaths.push(...paths);
        const dropped = summarizeDropped(contents.dropped);
        if (dropped.length > 0) notCarried.files[entry.name] = dropped.map((path) => `/${path}`);
        if (contents.sysusers.length > 0) notCarried.sysusers[entry.name] = contents.sysusers.map((path) => `/${path}`);
        if (install !== void 0) notCarried.scriptlets[entry.name] = scriptletFunctions(install);
        provenancePackages.push({
          name: entry.name,
          version: pkgInfo.get("pkgver")?.[0] ?? entry.version,
          repository: entry.repository,
          file,
          sha256: await sha256(file),
          explicit: entry.explicit
        });
      }
      const between = conflictsBetweenPackages(carried);
      if (between.length > 0) throw conflictError(between);
      const everyCarried = new Set([...carried.values()].flat());
      const existing = await inspectExisting(everyCarried);
      const ownPrevious = new Set(previous ? (await listTree(previous.path)).filter((path) => !path.endsWith("/")) : []);
      const inTheWay = new Set([...existing].filter(([, kind]) => kind === "other").map(([path]) => path));
      const withSystem = conflictsWithSystem(carried, existing, { ownPrevious, baseOwners: await baseOwners(config.dbPath, inTheWay) });
      if (withSystem.length > 0) throw conflictError(withSystem);
      const hooks = triggeredHooks((await readHooks(config)).filter((hook) => hook.name !== HOOK_NAME), packages.map((entry) => entry.name), allPaths);
      notCarried.hooks.push(...hooks.map((hook) => `${hook.name}: ${hook.description ?? hook.exec}`));
      for (const entry of unpacked.values()) await moveHierarchies(entry, tree, hierarchies);
      const provenance = {
        name,
        builtBy: `pacman-guard ${VERSION}`,
        built: (/* @__PURE__ */ new Date()).toISOString(),
        extensionRelease: Object.fromEntries(releaseFields.fields),
        packages: provenancePackages,
        notCarried
      };
      await mkdir3(join4(tree, "usr/lib/extension-release.d"), { recursive: true, mode: 493 });
      await mkdir3(join4(tree, provenancePath(name), ".."), { recursive: true, mode: 493 });
      await writeFile(join4(tree, provenancePath(name)), `${JSON.stringify(provenance, null, 2)}
`, { mode: 420 });
      await writeFile(join4(tree, extensionReleasePath(name)), renderExtensionRelease(releaseFields.fields), { mode: 420 });
      request.progress(`Merging extension ${name}...`);
      const swap = await swapIn(store, name, tree, work);
      try {
        await refreshExpecting(config.dbPath, name, true);
      } catch (error) {
        await swap.rollback();
        await refresh(config.dbPath).catch(() => void 0);
        throw error;
      }
      return { provenance, replaced: swap.hadPrevious, path: join4(store, name), releaseNotes: releaseFields.notes };
    } finally {
      if (work) await removeWorkDirectory(work);
      await resolver.dispose();
    }
  }, { lockName: "extensions", waitMs: 6e5 });
}
async function removeExtension(name, store = EXTENSION_STORE) {
  if (process.getuid?.() !== 0) throw new GuardError("you cannot perform this operation unless you are root.", { exitCode: 1 /* Failure */ });
  const config = await readPacmanConfig();
  await serialized(async () => {
    const extension = (await listStore(store)).find((candidate) => candidate.name === name);
    if (!extension && (await listHeld(store)).some((held) => held.name === name)) {
      await dropHeld(store, name);
      return;
    }
    if (!extension) throw new GuardError(`extension ${name} not found in ${store}`, { exitCode: 2 /* Usage */, hints: ["  list them with: guard extend --list"] });
    if (!extension.provenance) throw notOurs(name, extension.path);
    const work = await createWorkDirectory(store, name);
    try {
      const taken = await takeOut(store, name, work);
      try {
        await refreshExpecting(config.dbPath, name, false);
      } catch (error) {
        await taken.rollback();
        await refresh(config.dbPath).catch(() => void 0);
        throw error;
      }
    } finally {
      await removeWorkDirectory(work);
    }
  }, { lockName: "extensions", waitMs: 6e5 });
}
async function listExtensions(store = EXTENSION_STORE) {
  const merged = await mergedExtensionNames().catch((error) => {
    throw new GuardError(`cannot tell which extensions are merged: ${describeError(error)}`, { exitCode: 4 /* StateUnknown */ });
  });
  const held = await listHeld(store);
  return [
    ...(await listStore(store)).map((extension) => ({ ...extension, merged: merged.has(extension.name) })),
    ...await Promise.all(held.map(async (extension) => {
      const provenance = await readProvenance(extension.path, extension.name).catch(() => void 0);
      return { name: extension.name, path: extension.path, merged: false, held: extension.reason, ...provenance ? { provenance } : {} };
    }))
  ];
}

export {
  listTree,
  openResolver,
  resolveTargets,
  isPackageFile,
  readOsRelease,
  extend,
  removeExtension,
  listExtensions
};
//# sourceMappingURL=chunk-TZFI22VC.js.map
