import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/extend/store.ts
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
var EXTENSION_STORE = "/var/lib/extensions";
var OTHER_EXTENSION_DIRECTORIES = ["/etc/extensions", "/run/extensions", "/var/lib/extensions", "/usr/lib/extensions"];
var provenancePath = (name) => `usr/share/pacman-guard/extensions/${name}.json`;
var extensionReleasePath = (name) => `usr/lib/extension-release.d/extension-release.${name}`;
function validExtensionName(name) {
  return /^[A-Za-z0-9_][A-Za-z0-9_.+@-]*$/.test(name) && name.length <= 200;
}
async function readProvenance(tree, name) {
  try {
    return JSON.parse(await readFile(join(tree, provenancePath(name)), "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new GuardError(`cannot read the provenance of extension ${name}: ${error.message}`, { cause: error });
  }
}
async function listStore(store = EXTENSION_STORE) {
  let names;
  try {
    names = (await readdir(store)).filter((name) => !name.startsWith(".")).sort();
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
  const extensions = [];
  for (const name of names) {
    const path = join(store, name);
    const provenance = await readProvenance(path, name).catch(() => void 0);
    extensions.push({ name, path, ...provenance ? { provenance } : {} });
  }
  return extensions;
}
function carryingExtensions(packages, extensions) {
  const carriers = /* @__PURE__ */ new Map();
  for (const name of packages) {
    const carrier = extensions.find((extension) => extension.provenance?.packages.some((entry) => entry.name === name));
    if (!carrier) return void 0;
    carriers.set(name, carrier.name);
  }
  return carriers;
}
async function exists(path) {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
async function createWorkDirectory(store, name) {
  return mkdtemp(join(store, `.${name}.pacman-guard-`));
}
async function swapIn(store, name, tree, work) {
  const target = join(store, name);
  const old = join(work, "old");
  const hadPrevious = await exists(target);
  if (hadPrevious) await rename(target, old);
  try {
    await rename(tree, target);
  } catch (error) {
    if (hadPrevious) await rename(old, target);
    throw error;
  }
  return {
    hadPrevious,
    async rollback() {
      await rename(target, tree);
      if (hadPrevious) await rename(old, target);
    }
  };
}
async function takeOut(store, name, work) {
  const target = join(store, name);
  const old = join(work, "old");
  await rename(target, old);
  return { rollback: () => rename(old, target) };
}
async function removeWorkDirectory(work) {
  await rm(work, { recursive: true, force: true });
}
async function nameTakenElsewhere(name, store) {
  for (const directory of OTHER_EXTENSION_DIRECTORIES) {
    if (directory === store) continue;
    for (const candidate of [join(directory, name), join(directory, `${name}.raw`)]) {
      if (await exists(candidate)) return candidate;
    }
  }
  if (await exists(join(store, `${name}.raw`))) return join(store, `${name}.raw`);
  return void 0;
}
function notOurs(name, path) {
  return new GuardError(`extension ${name} was not built by guard extend`, {
    exitCode: 2 /* Usage */,
    hints: [`  it is ${path}; remove it yourself, then run: guard refresh`]
  });
}
var heldDirectory = (store) => join(store, ".pacman-guard-held");
async function holdExtension(store, name, reason) {
  const directory = heldDirectory(store);
  await mkdir(directory, { recursive: true, mode: 493 });
  const path = join(directory, name);
  await rm(path, { recursive: true, force: true });
  await rename(join(store, name), path);
  await writeFile(join(directory, `${name}.reason`), `${reason}
`, { mode: 420 });
  return { name, path, reason };
}
async function listHeld(store = EXTENSION_STORE) {
  const directory = heldDirectory(store);
  let names;
  try {
    names = (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
  return Promise.all(names.map(async (name) => ({
    name,
    path: join(directory, name),
    reason: (await readFile(join(directory, `${name}.reason`), "utf8").catch(() => "no reason recorded")).trim()
  })));
}
async function dropHeld(store, name) {
  const directory = heldDirectory(store);
  await rm(join(directory, name), { recursive: true, force: true });
  await rm(join(directory, `${name}.reason`), { force: true });
}

export {
  EXTENSION_STORE,
  OTHER_EXTENSION_DIRECTORIES,
  provenancePath,
  extensionReleasePath,
  validExtensionName,
  readProvenance,
  listStore,
  carryingExtensions,
  createWorkDirectory,
  swapIn,
  takeOut,
  removeWorkDirectory,
  nameTakenElsewhere,
  notOurs,
  heldDirectory,
  holdExtension,
  listHeld,
  dropHeld
};
//# sourceMappingURL=chunk-QHI3HJOS.js.map
