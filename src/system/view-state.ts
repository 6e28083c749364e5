/**
 * What pacman's view of the database (src/system/view.ts) shows now, read
 * from the mount table and the view's own layer, and whether it matches what
 * is merged: for the probe, status and doctor, which must stay light (no
 * mounting code here).
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EntryError, localPackageName, parseDesc, parseFiles, type LocalEntry } from '../pacman/local-entry.js';
import { dbLockState, viewLayer } from './db-lock.js';
import type { MountEntry } from './mountinfo.js';
import { extensionHierarchies } from './sysext.js';

/** Where an extension carries its packages' entries (relative to its root), one directory per package. */
export const ENTRIES_IN_EXTENSION = 'usr/lib/pacman-guard/local';

export interface ViewState {
  readonly mounted: boolean;
  /** NAME-VERSION entries the view adds, and the extension each came from (null when no provenance named it). */
  readonly packages: readonly { readonly directory: string; readonly extension: string | null }[];
  /** How the view differs from what is merged (a merge or refresh the guard did not follow); empty when it matches, undefined when what is merged is unknown. */
  readonly stale?: ViewMismatch;
}

export interface ViewMismatch {
  /** Entries pacman sees whose extension is not merged (their files are gone). */
  readonly notMerged: readonly string[];
  /** Entries the merged extensions carry that pacman does not see (nor the base's package of that name). */
  readonly notShown: readonly string[];
}

const ENTRY_FILES = new Set(['desc', 'files', 'mtree']);

/**
 * Reads and checks one entry directory (desc and files must parse; mtree is
 * optional, as libalpm's is), keeping the bytes to copy. Synchronous on
 * purpose: a hundred packages are three hundred small files, and promise
 * round trips through the thread pool cost more than the reads themselves.
 */
export function readEntry(path: string, directory: string, prefixes: readonly string[]): { entry: LocalEntry; contents: Map<string, Buffer> } {
  const names = readdirSync(path);
  const stray = names.find((name) => !ENTRY_FILES.has(name));
  if (stray !== undefined) throw new EntryError('directory', undefined, `unexpected file '${stray}' in the entry (only desc, files and mtree belong there)`);
  if (!names.includes('files')) throw new EntryError('files', undefined, 'missing');
  if (!names.includes('desc')) throw new EntryError('desc', undefined, 'missing');
  const contents = new Map(names.map((name) => [name, readFileSync(join(path, name))] as const));
  const entry = parseDesc(contents.get('desc')!.toString('utf8'), directory);
  parseFiles(contents.get('files')!.toString('utf8'), prefixes);
  return { entry, contents };
}

/**
 * libalpm's version file in local/. The view's layer carries a copy (the
 * real one's, or libalpm's current version 9 on a fresh database), because
 * libalpm refuses a local/ that has entries but no version file
 * (be_local.c local_db_validate). It is no package: readers skip it.
 */
export const DB_VERSION_FILE = 'ALPM_DB_VERSION';
const packageDirectories = (names: readonly string[]) => names.filter((name) => name !== DB_VERSION_FILE);

/** The entries the mounted view adds (directory names), or an empty set with no view. */
export async function viewEntries(mounts: readonly MountEntry[], dbPath: string): Promise<Set<string>> {
  const view = dbLockState(mounts, dbPath).view;
  const layer = view && viewLayer(view);
  if (!layer) return new Set();
  try {
    return new Set(packageDirectories(readdirSync(join(layer, 'local'))));
  } catch {
    return new Set();
  }
}

/** What the merged extensions are seen with: the sysext extensions merged, and whether the database is locked (only then is there a view). */
export interface MergedForView {
  readonly extensions: ReadonlySet<string>;
  readonly locked: boolean;
}

/**
 * Pure: the view against what is merged. `carried` are the entry directories
 * in the merged tree, `base` the database's own (without the view's).
 */
export function viewMismatch(packages: ViewState['packages'], merged: MergedForView, carried: readonly string[], base: readonly string[], showable: (directory: string) => boolean = () => true): ViewMismatch {
  const carriedSet = new Set(carried);
  const notMerged = packages
    .filter(({ directory, extension }) => !carriedSet.has(directory) || (extension !== null && !merged.extensions.has(extension)))
    .map(({ directory }) => directory);
  // Without the lock there is no view to show anything; that problem is reported on its own.
  if (!merged.locked) return { notMerged, notShown: [] };
  const seen = new Set([...base, ...packages.map(({ directory }) => directory)].map(localPackageName));
  // An entry that does not parse is never shown, by design (a warning when merging; guard doctor names it).
  const notShown = carried.filter((directory) => !seen.has(localPackageName(directory)) && showable(directory));
  return { notMerged, notShown };
}

function listDirectory(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/**
 * @param merged what is merged, or undefined when that could not be read
 * @param mergedRoot where the merged extensions are seen (/)
 */
export async function describeView(mounts: readonly MountEntry[], dbPath: string, merged?: MergedForView, mergedRoot = '/'): Promise<ViewState> {
  const view = dbLockState(mounts, dbPath).view;
  const layer = view && viewLayer(view);
  let packages: ViewState['packages'] = [];
  if (layer) {
    const names = packageDirectories(readdirSync(join(layer, 'local'))).sort();
    let record: Record<string, string | null>;
    try {
      record = JSON.parse(readFileSync(join(layer, 'extensions.json'), 'utf8')) as Record<string, string | null>;
    } catch {
      record = {};
    }
    packages = names.map((directory) => ({ directory, extension: record[directory] ?? null }));
  }
  const entries = join(mergedRoot, ENTRIES_IN_EXTENSION);
  const showable = (directory: string) => {
    try {
      readEntry(join(entries, directory), directory, extensionHierarchies(process.env, 'sysext').map((hierarchy) => `${hierarchy.replace(/^\/+|\/+$/g, '')}/`));
      return true;
    } catch {
      return false;
    }
  };
  const stale = merged
    ? viewMismatch(packages, merged, merged.extensions.size > 0 ? listDirectory(entries) : [], listDirectory(join(dbPath, 'local')).filter((name) => !packages.some((entry) => entry.directory === name)), showable)
    : undefined;
  return { mounted: layer !== undefined, packages, ...(stale ? { stale } : {}) };
}
