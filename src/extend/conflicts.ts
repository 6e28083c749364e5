/**
 * Files an extension must not carry. An overlay never fails on a clash: a
 * file from an extension silently hides the base's (or another
 * extension's), and a directory hides a symlink such as /usr/sbin → bin.
 * So every clash is refused, by name, before anything is installed.
 */
import { localPackageName, parseDesc } from '../pacman/local-entry.js';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseEntries } from '../system/view.js';
import { readProvenance } from '../system/extension-store.js';

export type ExistingKind = 'absent' | 'directory' | 'other';

/** Who else has a clashing path: what the advice to resolve the clash depends on (clash-advice.ts). */
export type ClashOwner =
  /** Another package of the same extension. */
  | { readonly kind: 'package'; readonly name: string }
  /** A package of the base system (pacman's local database). */
  | { readonly kind: 'base'; readonly name: string }
  /** A merged extension; `ours` when guard extend built it (it has a provenance). */
  | { readonly kind: 'extension'; readonly name: string; readonly path: string; readonly ours: boolean }
  /** A file on the running system that no package and no extension owns. */
  | { readonly kind: 'unowned' };

export interface Conflict {
  readonly path: string;
  /** The package that ships it. */
  readonly package: string;
  readonly owner: ClashOwner;
  /** The package puts a directory where the running system has a file or a symlink (/usr/sbin → bin). */
  readonly directory?: true;
}

function describeOwner(owner: ClashOwner): string {
  switch (owner.kind) {
    case 'package': return `package ${owner.name}`;
    case 'base': return `base package ${owner.name}`;
    case 'extension': return `extension ${owner.name}${owner.ours ? '' : ` (${owner.path}, not built by guard extend)`}`;
    case 'unowned': return 'the running system, owned by no package';
  }
}

/** Pure: one clash in the words of the refusal ("/usr/bin/ls (foo) exists in base package coreutils"). */
export function describeConflict(conflict: Conflict): string {
  const where = conflict.directory
    ? `a non-directory on the running system, ${conflict.owner.kind === 'unowned' ? 'owned by no package' : `from ${describeOwner(conflict.owner)}`}`
    : describeOwner(conflict.owner);
  return `${conflict.path} (${conflict.package}) exists in ${where}`;
}

/** A merged extension that carries a path. */
export interface CarryingExtension {
  readonly name: string;
  readonly path: string;
  readonly ours: boolean;
}

/** Pure: paths two packages of the same extension both ship (directories may be shared). */
export function conflictsBetweenPackages(contents: ReadonlyMap<string, readonly string[]>): Conflict[] {
  const owner = new Map<string, string>();
  const conflicts: Conflict[] = [];
  for (const [name, paths] of contents) {
    for (const path of paths) {
      if (path.endsWith('/')) continue;
      const other = owner.get(path);
      if (other) conflicts.push({ path: `/${path}`, package: name, owner: { kind: 'package', name: other } });
      else owner.set(path, name);
    }
  }
  return conflicts;
}

/**
 * Pure: which carried paths clash with what is already there. A directory
 * clashes only with a non-directory; anything else clashes with anything
 * present, except what the extension being rebuilt carries itself (its own
 * old files) unless a package of the base system owns it too. Each clash
 * names its owner: a base package, a merged extension, or nobody.
 */
export function conflictsWithSystem(
  carried: ReadonlyMap<string, readonly string[]>,
  existing: ReadonlyMap<string, ExistingKind>,
  options: { ownPrevious?: ReadonlySet<string>; baseOwners?: ReadonlyMap<string, string>; extensionOwners?: ReadonlyMap<string, CarryingExtension> } = {},
): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const [name, paths] of carried) {
    for (const path of paths) {
      const isDirectory = path.endsWith('/');
      const bare = isDirectory ? path.slice(0, -1) : path;
      const kind = existing.get(bare) ?? 'absent';
      if (kind === 'absent' || (isDirectory && kind === 'directory')) continue;
      const baseOwner = options.baseOwners?.get(bare);
      if (!isDirectory && options.ownPrevious?.has(bare) && baseOwner === undefined) continue;
      const carrier = options.extensionOwners?.get(bare);
      const owner: ClashOwner = baseOwner !== undefined ? { kind: 'base', name: baseOwner } : carrier ? { kind: 'extension', ...carrier } : { kind: 'unowned' };
      conflicts.push({ path: `/${bare}`, package: name, owner, ...(isDirectory ? { directory: true as const } : {}) });
    }
  }
  return conflicts;
}

/** lstat of each path under `root` (the merged view, normally /). */
export async function inspectExisting(paths: Iterable<string>, root = '/'): Promise<Map<string, ExistingKind>> {
  const kinds = new Map<string, ExistingKind>();
  for (const path of paths) {
    const bare = path.endsWith('/') ? path.slice(0, -1) : path;
    try {
      kinds.set(bare, (await lstat(join(root, bare))).isDirectory() ? 'directory' : 'other');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a parent is a file, so the path cannot exist.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      kinds.set(bare, 'absent');
    }
  }
  return kinds;
}

/** Which of `paths` (relative, no trailing '/') packages in pacman's local database own: path → package. */
export async function baseOwners(dbPath: string, paths: ReadonlySet<string>): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (paths.size === 0) return owners;
  const local = join(dbPath, 'local');
  const base = new Set(await baseEntries(dbPath));
  for (const entry of await readdir(local, { withFileTypes: true })) {
    if (!entry.isDirectory() || !base.has(entry.name)) continue;
    let text: string;
    try {
      text = await readFile(join(local, entry.name, 'files'), 'utf8');
    } catch {
      continue;
    }
    const name = localPackageName(entry.name);
    let inFiles = false;
    for (const line of text.split('\n')) {
      if (line.startsWith('%')) inFiles = line === '%FILES%';
      else if (inFiles && paths.has(line)) owners.set(line, name);
    }
  }
  return owners;
}


/**
 * Which of `paths` (relative, no trailing '/') a merged extension carries:
 * path → the extension. `directories` in systemd-sysext's search order (the
 * first of a name is the one merged); raw images are not looked into.
 */
export async function extensionOwners(
  paths: ReadonlySet<string>,
  directories: readonly string[],
  isMerged: (name: string) => boolean,
  except?: string,
): Promise<Map<string, CarryingExtension>> {
  const owners = new Map<string, CarryingExtension>();
  if (paths.size === 0) return owners;
  const seen = new Set<string>();
  for (const directory of directories) {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || seen.has(entry.name)) continue;
      seen.add(entry.name);
      if (!entry.isDirectory() || entry.name === except || !isMerged(entry.name)) continue;
      const path = join(directory, entry.name);
      let ours: boolean | undefined;
      for (const candidate of paths) {
        if (owners.has(candidate)) continue;
        try {
          await lstat(join(path, candidate));
        } catch {
          continue;
        }
        ours ??= (await readProvenance(path, entry.name).catch(() => undefined)) !== undefined;
        owners.set(candidate, { name: entry.name, path, ours });
      }
    }
  }
  return owners;
}

/** Pure: a dependency or provision without its version (`foo>=2` → foo). */
const bareName = (relation: string) => relation.replace(/[<>=].*$/, '');

/**
 * Base packages that depend on each of `names` (by its name or by what it
 * provides): name → dependents. What pacman -R would refuse to break.
 */
export async function baseDependents(dbPath: string, names: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const dependents = new Map<string, string[]>();
  if (names.size === 0) return dependents;
  const local = join(dbPath, 'local');
  const entries: { name: string; depends: readonly string[]; provides: readonly string[] }[] = [];
  for (const directory of await baseEntries(dbPath)) {
    try {
      const { name, depends, provides } = parseDesc(await readFile(join(local, directory, 'desc'), 'utf8'), directory);
      entries.push({ name, depends, provides });
    } catch {
      continue; // An unreadable or malformed entry depends on nothing we can name.
    }
  }
  for (const name of names) {
    const entry = entries.find((candidate) => candidate.name === name);
    const satisfies = new Set([name, ...(entry?.provides ?? []).map(bareName)]);
    dependents.set(name, entries
      .filter((other) => other.name !== name && other.depends.some((dependency) => satisfies.has(bareName(dependency))))
      .map((other) => other.name)
      .sort());
  }
  return dependents;
}
