/**
 * pacman's view of the merged system: while extensions are merged and the
 * database is locked, DBPath shows the real database plus the local-database
 * entries the merged guard-built extensions carry, read-only, so pacman,
 * libalpm front-ends and makepkg's dependency checks see the packages that
 * are really on the system.
 *
 * How: an overlay with no upper layer (so it is read-only by construction),
 * source `pacman-guard-view`, mounted on DBPath on top of the lock's
 * read-only self-bind. Its lowers are a copy of the entries in /run and
 * DBPath itself (the self-bind). The entries are copied out of the merged
 * /usr rather than layered from it, so the view never pins systemd-sysext's
 * overlay (a plain `systemd-sysext unmerge` still works) and shows exactly
 * what systemd-sysext merged, which skips incompatible extensions. The real
 * database is never written: after the view goes, it is byte for byte what
 * it was.
 *
 * Every step leaves a state the next `guard merge|refresh|settle` repairs,
 * and the read-only self-bind stays underneath throughout: a killed guard can
 * leave the view missing or stale, never the database writable.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, type Dirent } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { EntryError, localPackageName, parseDesc, parseFiles, type LocalEntry } from '../pacman/local-entry.js';
import { dbLockState, isViewMount, normalizeDirectory, viewLayer, type DbLockState } from './db-lock.js';
import { mountStack, type MountEntry } from './mountinfo.js';
import { extensionHierarchies, markerDirectory } from './sysext.js';
import { markerNamesFile, mergedNames, readMergeState } from './merge-state.js';
import { runSysextSteps, type SysextSteps } from './sysext-steps.js';
import { readMounts } from './probe.js';
import { DB_VERSION_FILE, ENTRIES_IN_EXTENSION, readEntry, viewEntries } from './view-state.js';

/** libalpm's local database version since pacman 4.2, the same in 6.0 and 7.x (be_local.c). */
const ALPM_LOCAL_DB_VERSION = 9;

export { ENTRIES_IN_EXTENSION };
/** Where an extension carries its provenance, read to tell which extension an entry came from. */
export const PROVENANCE_IN_EXTENSION = 'usr/share/pacman-guard/extensions';
export const DEFAULT_VIEW_ROOT = '/run/pacman-guard/view';

/** Directories systemd-sysext merges extensions from, in its order of precedence. */
export const EXTENSION_SEARCH_PATH = ['/etc/extensions', '/run/extensions', '/var/lib/extensions', '/usr/lib/extensions'] as const;

/** One package's entry, read and checked. */
export interface ViewEntry {
  /** NAME-VERSION, the directory name in local/. */
  readonly directory: string;
  readonly entry: LocalEntry;
  /** The extension that carries it, from its provenance; undefined if none names it. */
  readonly extension?: string;
  /** Where it was read from. */
  readonly path: string;
  /** The entry's files by name (desc, files, and mtree if present), as read. */
  readonly contents: ReadonlyMap<string, Buffer>;
}

export interface EntryProblem {
  /** The file at fault. */
  readonly file: string;
  readonly message: string;
  readonly extension?: string;
}

function problemOf(path: string, error: unknown, extension?: string): EntryProblem {
  if (error instanceof EntryError) {
    const file = error.file === 'directory' ? path : join(path, error.file);
    return { file, message: `${error.line !== undefined ? `line ${error.line}: ` : ''}${error.message}`, ...(extension ? { extension } : {}) };
  }
  return { file: path, message: describeError(error), ...(extension ? { extension } : {}) };
}

/** Entries in the byte order of their directory names, as libalpm lists local/. */
const byDirectory = (a: ViewEntry, b: ViewEntry) => (a.directory < b.directory ? -1 : a.directory > b.directory ? 1 : 0);

/** The entries under `root`/usr/lib/pacman-guard/local: the good ones, and each bad one with its file. */
export async function readEntries(root: string, env: NodeJS.ProcessEnv, extensionOf: (directory: string) => string | undefined = () => undefined): Promise<{ entries: ViewEntry[]; problems: EntryProblem[] }> {
  const base = join(root, ENTRIES_IN_EXTENSION);
  let directories: string[];
  try {
    directories = readdirSync(base).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [] };
    return { entries: [], problems: [problemOf(base, error)] };
  }
  // An entry may claim only files in the hierarchies systemd-sysext merges ('usr/', 'opt/').
  const prefixes = extensionHierarchies(env, 'sysext').map((hierarchy) => `${hierarchy.replace(/^\/+|\/+$/g, '')}/`);
  const entries: ViewEntry[] = [];
  const problems: EntryProblem[] = [];
  for (const directory of directories) {
    const path = join(base, directory);
    const extension = extensionOf(directory);
    try {
      const { entry, contents } = readEntry(path, directory, prefixes);
      entries.push({ directory, entry, path, contents, ...(extension ? { extension } : {}) });
    } catch (error) {
      problems.push(problemOf(path, error, extension));
    }
  }
  return { entries, problems };
}

/** NAME-VERSION → extension, from the provenance files under `root` (each names its packages). */
export async function entryOwners(root: string): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const directory = join(root, PROVENANCE_IN_EXTENSION);
  const names = await readdir(directory).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.endsWith('.json')).map(async (name) => {
    try {
      const provenance = JSON.parse(await readFile(join(directory, name), 'utf8')) as { name?: unknown; packages?: { name?: unknown; version?: unknown }[] };
      if (typeof provenance.name !== 'string' || !Array.isArray(provenance.packages)) return;
      for (const entry of provenance.packages) {
        if (typeof entry.name === 'string' && typeof entry.version === 'string') owners.set(`${entry.name}-${entry.version}`, provenance.name);
      }
    } catch {
      // A provenance file that does not parse names no owner; the entry still counts.
    }
  }));
  return owners;
}

/**
 * Checks the entries of every extension tree systemd-sysext would merge (a
 * directory in its search path; images are checked once merged). For `guard
 * merge` and `guard refresh`, before anything changes.
 */
export interface CheckedEntries {
  readonly problems: readonly EntryProblem[];
  /** Each extension's entries as read and checked, by extension name: what showView uses for those merged. */
  readonly byExtension: ReadonlyMap<string, readonly ViewEntry[]>;
}

export async function checkExtensionEntries(env: NodeJS.ProcessEnv, searchPath: readonly string[] = EXTENSION_SEARCH_PATH): Promise<CheckedEntries> {
  const seen = new Set<string>();
  const problems: EntryProblem[] = [];
  const byExtension = new Map<string, ViewEntry[]>();
  for (const directory of searchPath) {
    let names: Dirent[];
    try {
      names = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const item of names) {
      // A directory, or a symlink to one; an earlier directory of the search path shadows later ones.
      if (item.name.startsWith('.') || seen.has(item.name) || item.name.endsWith('.raw')) continue;
      const tree = join(directory, item.name);
      seen.add(item.name);
      const found = await readEntries(tree, env);
      problems.push(...found.problems.map((problem) => ({ ...problem, extension: item.name })));
      byExtension.set(item.name, found.entries.map((entry) => ({ ...entry, extension: item.name })));
    }
  }
  return { problems, byExtension };
}

/**
 * The merged extensions' entries: those `checked` read from the same trees
 * just before the merge (no second read through the overlay), or, if any
 * merged extension was not among them (an image, or one added meanwhile),
 * everything read again from the merged hierarchy.
 */
async function mergedEntries(mounts: readonly MountEntry[], mergedRoot: string, env: NodeJS.ProcessEnv, checked: CheckedEntries | undefined): Promise<{ entries: ViewEntry[]; problems: EntryProblem[] }> {
  if (checked && mergedRoot === '/') {
    const names = new Set(mergedNames(readMergeState(mounts), 'sysext'));
    if ([...names].every((name) => checked.byExtension.has(name))) {
      return { entries: [...names].flatMap((name) => checked.byExtension.get(name)!).sort(byDirectory), problems: [] };
    }
  }
  const owners = await entryOwners(mergedRoot);
  return readEntries(mergedRoot, env, (directory) => owners.get(directory));
}

/** The error for bad entries: each file and what is wrong with it, and the ways out. */
export function entriesError(problems: readonly EntryProblem[], what: string): GuardError {
  const extensions = [...new Set(problems.map((problem) => problem.extension).filter((name): name is string => name !== undefined))];
  return new GuardError(`${what}: ${problems.length === 1 ? 'a package entry' : `${problems.length} package entries`} in ${extensions.length > 0 ? `extension ${extensions.join(', ')}` : 'the merged extensions'} ${problems.length === 1 ? 'is' : 'are'} not valid`, {
    exitCode: ExitCode.Refused,
    hints: [
      ...problems.slice(0, 10).map((problem) => `  ${problem.file}: ${problem.message}`),
      ...(problems.length > 10 ? [`  … and ${problems.length - 10} more`] : []),
      '  nothing was changed',
      ...(extensions.length > 0 ? [`  rebuild it: guard extend --name ${extensions[0]} <packages>, or remove it: guard extend --remove ${extensions[0]}`] : []),
    ],
  });
}

/**
 * The base system's entries in pacman's local database: DBPath/local without
 * what the view adds. What `guard extend` and `guard update` must count as
 * installed on the base; pacman itself sees both.
 */
export async function baseEntries(dbPath: string): Promise<string[]> {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: ExitCode.StateUnknown });
  const added = await viewEntries(mounts.value, dbPath);
  return localDirectories(dbPath).filter((name) => !added.has(name));
}

/**
 * The entries in DBPath/local. A fresh database has no local/ until pacman's
 * first transaction: then no package is installed, which is no error (pacman
 * itself reads a missing local/ as empty).
 */
export function localDirectories(dbPath: string): string[] {
  try {
    return readdirSync(join(dbPath, 'local'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export interface ViewOutcome {
  /** The packages pacman sees beyond the base. */
  readonly entries: readonly ViewEntry[];
  /** Entries left out: bad ones, and packages the base has too. */
  readonly skipped: readonly EntryProblem[];
  readonly changed: boolean;
}

export interface ViewOptions {
  readonly viewRoot?: string;
  /** Where the merged extensions are seen (default /): its usr/lib/pacman-guard/local. */
  readonly mergedRoot?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The entries checkExtensionEntries read just before the merge. */
  readonly checked?: CheckedEntries;
  /** The layer viewAroundSysext built and mounted (if systemd-sysext merged what it expected). */
  readonly prepared?: PreparedView;
}

/**
 * The view's copies in `viewRoot` that no view will use: replaced ones, and
 * any an interrupted build left; never `keep`, nor one a view mount still
 * uses (the one about to be unmounted is not among those).
 */
async function unusedLayers(viewRoot: string, keep: string | undefined, mounts: readonly MountEntry[], unmounting: readonly MountEntry[] = []): Promise<string[]> {
  // The view mount propagation copies beneath the lock shares its layer and goes with it.
  const freed = new Set(unmounting.map(viewLayer));
  const inUse = new Set(mounts.filter(isViewMount).map(viewLayer).filter((layer) => !freed.has(layer)));
  return (await readdir(viewRoot).catch(() => [] as string[])).map((name) => join(viewRoot, name)).filter((path) => path !== keep && !inUse.has(path));
}

async function currentState(dbPath: string) {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: ExitCode.StateUnknown });
  return { mounts: mounts.value, lock: dbLockState(mounts.value, dbPath) };
}

async function sameAsMounted(layer: string | undefined, entries: readonly ViewEntry[]): Promise<boolean> {
  if (!layer) return false;
  const mounted = (await readdir(join(layer, 'local')).catch(() => undefined))?.filter((name) => name !== DB_VERSION_FILE).sort();
  if (!mounted || mounted.length !== entries.length || mounted.some((name, index) => name !== entries[index]!.directory)) return false;
  for (const entry of entries) {
    const ours = await readFile(join(layer, 'local', entry.directory, 'desc')).catch(() => Buffer.alloc(0));
    if (!ours.equals(entry.contents.get('desc')!)) return false;
  }
  return true;
}

/** Of the entries read, those pacman is shown: not a package the base has too (pacman sees the base's). */
async function selectShown(dbPath: string, mounts: readonly MountEntry[], lock: DbLockState, read: { entries: readonly ViewEntry[]; problems: readonly EntryProblem[] }): Promise<{ entries: ViewEntry[]; skipped: EntryProblem[] }> {
  const added = lock.view ? await viewEntries(mounts, dbPath) : new Set<string>();
  const onBase = new Set(localDirectories(dbPath).filter((name) => !added.has(name)).map(localPackageName));
  const skipped: EntryProblem[] = [...read.problems];
  const shown = new Map<string, ViewEntry>();
  const entries = read.entries.filter((item) => {
    const first = shown.get(item.entry.name);
    const why = onBase.has(item.entry.name) ? `${item.entry.name} is installed on the base system too; pacman sees the base's`
      : first ? `${item.entry.name} is in extension ${first.extension ?? first.path} too; pacman sees that one`
      : undefined;
    if (why === undefined) {
      shown.set(item.entry.name, item);
      return true;
    }
    skipped.push({ file: item.path, message: why, ...(item.extension ? { extension: item.extension } : {}) });
    return false;
  });
  return { entries, skipped };
}

/**
 * Writes a new layer holding `entries` beside the old one. Its name never
 * repeats, so a killed build cannot be mistaken for a finished one. The bytes
 * that were checked are the bytes written: nothing can change between the two.
 */
function writeLayer(viewRoot: string, entries: readonly ViewEntry[], dbPath: string): string {
  // Synchronous, as the reads are: a hundred entries are four hundred small writes (measured: the
  // layer's last three asynchronous calls alone took 6 ms of thread-pool round trips).
  mkdirSync(viewRoot, { recursive: true, mode: 0o755 });
  const layer = join(viewRoot, `${Date.now()}-${process.pid}`);
  const building = `${layer}.building`;
  mkdirSync(join(building, 'local'), { recursive: true, mode: 0o755 });
  for (const item of entries) {
    const target = join(building, 'local', item.directory);
    mkdirSync(target, { mode: 0o755 });
    for (const [name, bytes] of item.contents) writeFileSync(join(target, name), bytes, { mode: 0o644 });
  }
  // The version file as pacman reads it now (the real one, or an older layer's copy of it), or libalpm's
  // current one on a fresh database: without it libalpm takes local/ for a database of an unknown version.
  let version = `${ALPM_LOCAL_DB_VERSION}\n`;
  try {
    version = readFileSync(join(dbPath, 'local', DB_VERSION_FILE), 'utf8');
  } catch {
    // A fresh database: no local/ yet.
  }
  writeFileSync(join(building, 'local', DB_VERSION_FILE), version, { mode: 0o644 });
  writeFileSync(join(building, 'extensions.json'), `${JSON.stringify(Object.fromEntries(entries.map((item) => [item.directory, item.extension ?? null])), null, 1)}\n`, { mode: 0o644 });
  renameSync(building, layer);
  return layer;
}

/** A layer built before systemd-sysext runs, for what it is expected to merge. */
export interface PreparedView {
  readonly layer: string;
  readonly entries: readonly ViewEntry[];
}

/**
 * The view's steps around `systemd-sysext merge|refresh`, for
 * runSysextSteps: the old view off first (it would be stale, and a new view
 * stacked on it would take it for its lower), then, once systemd-sysext has
 * merged every checked extension that carries entries, a new layer with
 * their entries on. So a merge that shows pacman its packages starts one
 * process, not two. If systemd-sysext merges less (an extension it finds
 * incompatible), the view stays off and showView builds it from what was
 * merged. Requires the lock, as showView does.
 */
export async function viewAroundSysext(dbPathInput: string, checked: CheckedEntries, options: ViewOptions = {}): Promise<{ steps: Omit<SysextSteps, 'verb'>; prepared?: PreparedView }> {
  const dbPath = normalizeDirectory(dbPathInput);
  const viewRoot = options.viewRoot ?? DEFAULT_VIEW_ROOT;
  const env = options.env ?? process.env;
  const { mounts, lock } = await currentState(dbPath);
  const views = viewsOnTop(mounts, dbPath);
  const hideView = views.length;
  const candidates = [...checked.byExtension.values()].flat().sort(byDirectory);
  const { entries } = candidates.length > 0 && lock.locked && lock.selfBinds > 0 && !/[,:\\\s]/.test(dbPath)
    ? await selectShown(dbPath, mounts, lock, { entries: candidates, problems: [] })
    : { entries: [] };
  if (entries.length === 0) {
    return { steps: { dbPath, hideView, unusedLayers: await unusedLayers(viewRoot, undefined, mounts, views) } };
  }
  const layer = writeLayer(viewRoot, entries, dbPath);
  const extensions = [...new Set(entries.map((item) => item.extension).filter((name): name is string => name !== undefined))];
  const markers = extensionHierarchies(env, 'sysext').map((hierarchy) => `${markerDirectory(hierarchy, 'sysext')}/${markerNamesFile('sysext')}`);
  return {
    steps: { dbPath, hideView, showView: { layer, expect: { extensions, markers } }, unusedLayers: await unusedLayers(viewRoot, layer, mounts, views) },
    prepared: { layer, entries },
  };
}

/**
 * Makes the view show what is merged now. Requires the lock (a read-only
 * self-bind) underneath: without it there is no view to put on top.
 */
export async function showView(dbPathInput: string, options: ViewOptions = {}): Promise<ViewOutcome> {
  const dbPath = normalizeDirectory(dbPathInput);
  if (/[,:\\\s]/.test(dbPath)) throw new GuardError(`cannot show extension packages to pacman: DBPath ${dbPath} has a character an overlay's lowerdir cannot take`, { exitCode: ExitCode.Failure });
  const viewRoot = options.viewRoot ?? DEFAULT_VIEW_ROOT;
  const mergedRoot = options.mergedRoot ?? '/';
  const env = options.env ?? process.env;

  const before = await currentState(dbPath);
  if (before.lock.selfBinds === 0 || !before.lock.locked) {
    throw new GuardError(`not showing extension packages to pacman: ${dbPath} is not locked`, { exitCode: ExitCode.Failure, hints: ['  lock it first: guard lock'] });
  }
  const { entries, skipped } = await selectShown(dbPath, before.mounts, before.lock, await mergedEntries(before.mounts, mergedRoot, env, options.checked));

  const mountedLayer = before.lock.view ? viewLayer(before.lock.view) : undefined;
  if (entries.length === 0) {
    await hideView(dbPath, { viewRoot });
    return { entries, skipped, changed: before.lock.view !== undefined };
  }
  if (sameAsPrepared(mountedLayer, entries, options.prepared) || await sameAsMounted(mountedLayer, entries)) {
    const unused = await unusedLayers(viewRoot, mountedLayer, before.mounts);
    if (unused.length > 0) await runSysextSteps({ dbPath, unusedLayers: unused });
    return { entries, skipped, changed: options.prepared !== undefined && mountedLayer === options.prepared.layer };
  }

  const layer = writeLayer(viewRoot, entries, dbPath);
  // The old view goes before the new one comes: stacked, the new one's lower would be the old view.
  // In between pacman sees the locked database alone, still read-only.
  const old = viewsOnTop(before.mounts, dbPath);
  await runSysextSteps({ dbPath, hideView: old.length, showView: { layer }, unusedLayers: await unusedLayers(viewRoot, layer, before.mounts, old) });
  const after = await currentState(dbPath);
  if (!after.lock.view || viewLayer(after.lock.view) !== layer || !after.lock.locked) {
    throw new GuardError(`showing extension packages to pacman did not take: the mount table shows no read-only view at ${dbPath}`, { exitCode: ExitCode.Failure, hints: ['  check: guard status'] });
  }
  return { entries, skipped, changed: true };
}

/** Whether the mounted layer is the one prepared for the merge, holding exactly these entries (as read, the same bytes). */
function sameAsPrepared(layer: string | undefined, entries: readonly ViewEntry[], prepared: PreparedView | undefined): boolean {
  return prepared !== undefined && layer === prepared.layer && prepared.entries.length === entries.length && prepared.entries.every((item, index) => item === entries[index]);
}

/**
 * The views at the top of DBPath's stack, topmost first (only those are the
 * view's to unmount). Normally one; two when a view was mounted over another
 * (seen once in a booted sid root after varlink Merge and Unmerge): every one
 * goes, or the new view's lower would be the old, stale one.
 */
function viewsOnTop(mounts: readonly MountEntry[], dbPath: string): MountEntry[] {
  const stack = mountStack(mounts, dbPath);
  const views: MountEntry[] = [];
  for (let index = stack.length - 1; index >= 0 && isViewMount(stack[index]!); index--) views.push(stack[index]!);
  return views;
}

/**
 * The steps that take the view away (for runSysextSteps, before `systemd-sysext
 * unmerge`): unmount it if it is on top, delete the layers no view uses.
 */
export async function viewOffSteps(dbPathInput: string, options: { viewRoot?: string } = {}): Promise<Omit<SysextSteps, 'verb' | 'showView'>> {
  const dbPath = normalizeDirectory(dbPathInput);
  const { mounts } = await currentState(dbPath);
  const views = viewsOnTop(mounts, dbPath);
  return { dbPath, hideView: views.length, unusedLayers: await unusedLayers(options.viewRoot ?? DEFAULT_VIEW_ROOT, undefined, mounts, views) };
}

/** Takes the view away: pacman sees the locked database alone again. */
export async function hideView(dbPathInput: string, options: { viewRoot?: string } = {}): Promise<boolean> {
  const steps = await viewOffSteps(dbPathInput, options);
  if (steps.hideView || (steps.unusedLayers?.length ?? 0) > 0) await runSysextSteps(steps);
  return (steps.hideView ?? 0) > 0;
}
