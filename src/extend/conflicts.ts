/**
 * Files an extension must not carry. An overlay never fails on a clash: a
 * file from an extension silently hides the base's (or another
 * extension's), and a directory hides a symlink such as /usr/sbin → bin.
 * So every clash is refused, by name, before anything is installed.
 */
import { localPackageName } from '../pacman/local-entry.js';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseEntries } from '../system/view.js';

export type ExistingKind = 'absent' | 'directory' | 'other';

export interface Conflict {
  readonly path: string;
  /** The package that ships it. */
  readonly package: string;
  /** Who else has it: another package of this extension, or the running system. */
  readonly with: string;
}

/** Pure: paths two packages of the same extension both ship (directories may be shared). */
export function conflictsBetweenPackages(contents: ReadonlyMap<string, readonly string[]>): Conflict[] {
  const owner = new Map<string, string>();
  const conflicts: Conflict[] = [];
  for (const [name, paths] of contents) {
    for (const path of paths) {
      if (path.endsWith('/')) continue;
      const other = owner.get(path);
      if (other) conflicts.push({ path, package: name, with: `package ${other}` });
      else owner.set(path, name);
    }
  }
  return conflicts;
}

/**
 * Pure: which carried paths clash with what is already there. A directory
 * clashes only with a non-directory; anything else clashes with anything
 * present, except what the extension being rebuilt carries itself (its own
 * old files) unless a package of the base system owns it too.
 */
export function conflictsWithSystem(
  carried: ReadonlyMap<string, readonly string[]>,
  existing: ReadonlyMap<string, ExistingKind>,
  options: { ownPrevious?: ReadonlySet<string>; baseOwners?: ReadonlyMap<string, string> } = {},
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
      conflicts.push({ path: `/${bare}`, package: name, with: baseOwner ? `base package ${baseOwner}` : (isDirectory ? 'a non-directory on the running system' : 'the running system') });
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

