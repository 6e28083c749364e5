/**
 * The extensions `guard extend` builds, in systemd-sysext's
 * /var/lib/extensions. Each is a directory NAME whose provenance (what it
 * was built from) travels inside it. Changes are atomic: a new tree is built
 * beside the store in a work directory that systemd-sysext ignores (it holds
 * no extension-release file for its own name: observed with systemd 252),
 * and enters the store by rename(2).
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

export const EXTENSION_STORE = '/var/lib/extensions';
/** Other places systemd-sysext looks, in its order of precedence: a name there would hide ours. */
export const OTHER_EXTENSION_DIRECTORIES = ['/etc/extensions', '/run/extensions', '/var/lib/extensions', '/usr/lib/extensions'];

export const provenancePath = (name: string) => `usr/share/pacman-guard/extensions/${name}.json`;
export const extensionReleasePath = (name: string) => `usr/lib/extension-release.d/extension-release.${name}`;

export interface ProvenancePackage {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  readonly file: string;
  readonly sha256: string;
  readonly explicit: boolean;
}

export interface NotCarried {
  /** package → paths outside the extension's hierarchies (/etc, /var, …). */
  readonly files: Readonly<Record<string, readonly string[]>>;
  /** package → install scriptlet functions that did not run. */
  readonly scriptlets: Readonly<Record<string, readonly string[]>>;
  /** libalpm hooks an installation would have run: "file: description". */
  readonly hooks: readonly string[];
  /** package → sysusers.d files whose users nobody created. */
  readonly sysusers: Readonly<Record<string, readonly string[]>>;
}

export interface Provenance {
  readonly name: string;
  readonly builtBy: string;
  readonly built: string;
  readonly extensionRelease: Readonly<Record<string, string>>;
  readonly packages: readonly ProvenancePackage[];
  readonly notCarried: NotCarried;
}

/** A name systemd-sysext accepts and overlayfs can take in lowerdir= (no ':' or ','; observed). */
export function validExtensionName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.+@-]*$/.test(name) && name.length <= 200;
}

export async function readProvenance(tree: string, name: string): Promise<Provenance | undefined> {
  try {
    return JSON.parse(await readFile(join(tree, provenancePath(name)), 'utf8')) as Provenance;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GuardError(`cannot read the provenance of extension ${name}: ${(error as Error).message}`, { cause: error });
  }
}

export interface StoredExtension {
  readonly name: string;
  readonly path: string;
  /** Undefined: not built by guard extend. */
  readonly provenance?: Provenance;
}

/** The extensions in the store (work directories, whose names start with '.', are not). */
export async function listStore(store = EXTENSION_STORE): Promise<StoredExtension[]> {
  let names: string[];
  try {
    names = (await readdir(store)).filter((name) => !name.startsWith('.')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const extensions: StoredExtension[] = [];
  for (const name of names) {
    const path = join(store, name);
    const provenance = await readProvenance(path, name).catch(() => undefined);
    extensions.push({ name, path, ...(provenance ? { provenance } : {}) });
  }
  return extensions;
}

/** package → the extension that carries it, or undefined when any of the packages is in none of them. */
export function carryingExtensions(packages: readonly string[], extensions: readonly StoredExtension[]): Map<string, string> | undefined {
  const carriers = new Map<string, string>();
  for (const name of packages) {
    const carrier = extensions.find((extension) => extension.provenance?.packages.some((entry) => entry.name === name));
    if (!carrier) return undefined;
    carriers.set(name, carrier.name);
  }
  return carriers;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** A work directory beside the extensions, on the same file system, that systemd-sysext ignores. */
export async function createWorkDirectory(store: string, name: string): Promise<string> {
  return mkdtemp(join(store, `.${name}.pacman-guard-`));
}

/** Pure: whether an entry of the store is such a work directory (`.NAME.pacman-guard-XXXXXX`). */
export const isWorkDirectory = (entry: string) => /^\..+\.pacman-guard-[A-Za-z0-9]{6}$/.test(entry);

/**
 * Puts `tree` in the store as NAME, keeping a previous NAME in `work/old`
 * until `commit` says the system took the new one; `rollback` puts the old
 * one back.
 */
export async function swapIn(store: string, name: string, tree: string, work: string): Promise<{ rollback(): Promise<void>; hadPrevious: boolean }> {
  const target = join(store, name);
  const old = join(work, 'old');
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
    },
  };
}

/** Moves NAME out of the store into `work/old`; `rollback` moves it back. */
export async function takeOut(store: string, name: string, work: string): Promise<{ rollback(): Promise<void> }> {
  const target = join(store, name);
  const old = join(work, 'old');
  await rename(target, old);
  return { rollback: () => rename(old, target) };
}

export async function removeWorkDirectory(work: string): Promise<void> {
  await rm(work, { recursive: true, force: true });
}

/** Another directory systemd-sysext searches that has an extension of this name. */
export async function nameTakenElsewhere(name: string, store: string): Promise<string | undefined> {
  for (const directory of OTHER_EXTENSION_DIRECTORIES) {
    if (directory === store) continue;
    for (const candidate of [join(directory, name), join(directory, `${name}.raw`)]) {
      if (await exists(candidate)) return candidate;
    }
  }
  if (await exists(join(store, `${name}.raw`))) return join(store, `${name}.raw`);
  return undefined;
}

export function notOurs(name: string, path: string): GuardError {
  return new GuardError(`extension ${name} was not built by guard extend`, {
    exitCode: ExitCode.Usage,
    hints: [`  it is ${path}; remove it yourself, then run: guard refresh`],
  });
}

/**
 * Extensions guard update took out of use because they no longer fit the
 * base: kept whole, beside the store (systemd-sysext ignores it, as it does
 * the work directories), with the reason, until rebuilt or removed.
 */
export const heldDirectory = (store: string) => join(store, '.pacman-guard-held');

export interface HeldExtension {
  readonly name: string;
  readonly path: string;
  readonly reason: string;
}

export async function holdExtension(store: string, name: string, reason: string): Promise<HeldExtension> {
  const directory = heldDirectory(store);
  await mkdir(directory, { recursive: true, mode: 0o755 });
  const path = join(directory, name);
  await rm(path, { recursive: true, force: true });
  await rename(join(store, name), path);
  await writeFile(join(directory, `${name}.reason`), `${reason}\n`, { mode: 0o644 });
  return { name, path, reason };
}

export async function listHeld(store = EXTENSION_STORE): Promise<HeldExtension[]> {
  const directory = heldDirectory(store);
  let names: string[];
  try {
    names = (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(names.map(async (name) => ({
    name,
    path: join(directory, name),
    reason: (await readFile(join(directory, `${name}.reason`), 'utf8').catch(() => 'no reason recorded')).trim(),
  })));
}

/** Deletes a held extension (rebuilt, or given up). */
export async function dropHeld(store: string, name: string): Promise<void> {
  const directory = heldDirectory(store);
  await rm(join(directory, name), { recursive: true, force: true });
  await rm(join(directory, `${name}.reason`), { force: true });
}
