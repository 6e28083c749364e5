/**
 * What systemd-sysext and systemd-confext have merged: the one reader of the
 * merge state that status, the lock, the lifecycle, the view, update, extend,
 * doctor and the metrics share. Read from the mount table the way
 * systemd-sysext's own `status` checks it, plus the markers systemd leaves in
 * each merged hierarchy, without spawning systemd-sysext.
 *
 * - An overlay whose source is `sysext` (`confext`) mounted at a hierarchy's
 *   root is a merge. Hierarchies are whatever SYSTEMD_SYSEXT_HIERARCHIES said
 *   in the merging process's environment, so any mount point counts.
 * - A bind of part of such an overlay (mountinfo root not `/`) is not a
 *   hierarchy: mutable merges add a read-only `<hierarchy>/.systemd-sysext`
 *   bind of the overlay's own marker directory (root `/.systemd-sysext`).
 * - The marker directory `<hierarchy>/.systemd-sysext/` (`/etc/.systemd-confext/`)
 *   holds `dev` (the overlay's major:minor), `extensions` (sysext) or
 *   `confexts` (confext), one name a line, and since systemd 262 `origin`:
 *   JSON with the mutable mode and each extension's path.
 * - The mutable mode comes from `origin` where systemd writes it, otherwise
 *   from the overlay's options (docs/merge-state.md): an upper layer under
 *   /var/lib/extensions.mutable is `yes` (or `auto`, which is the same once
 *   the directory exists), another upper layer `ephemeral`; the mutable
 *   directory as a lower layer only is `import`.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { mountStack, optionValue, parseMountinfo, type MountEntry } from './mountinfo.js';
import { markerDirectory, type ExtensionKind } from './sysext.js';

export type { ExtensionKind };

/** systemd-sysext's --mutable= modes (systemd >= 256); `no` is an ordinary read-only merge. */
export const MUTABLE_MODES = ['no', 'yes', 'auto', 'import', 'ephemeral', 'ephemeral-import'] as const;
export type MutableMode = (typeof MUTABLE_MODES)[number];

/** Where systemd-sysext keeps mutable layers (`yes`, `auto`, `import`). */
export const MUTABLE_DIRECTORY = '/var/lib/extensions.mutable';

export interface MergedHierarchy {
  readonly hierarchy: string;
  readonly kind: ExtensionKind;
  /** Extension names in merge order. */
  readonly extensions: readonly string[];
  /** When the marker was written, i.e. when the merge happened. */
  readonly since?: Date;
  /** Writes to the hierarchy land somewhere (an upper layer): pacman's would, while its database records them for good. */
  readonly mutable: boolean;
  readonly mode: MutableMode;
  /** Where the mode was read: systemd's origin marker (262), or inferred from the overlay's options. */
  readonly modeFrom: 'origin' | 'mountinfo';
  /** The upper layer, where writes land, when mutable. */
  readonly writesTo?: string;
  /** Each extension's image or directory, when the origin marker names them (name → path). */
  readonly sources?: Readonly<Record<string, string>>;
  readonly device: string;
  /** The marker's `dev` matches the overlay, as systemd-sysext status requires. */
  readonly confirmed: boolean;
  /** Why the marker could not confirm the merge, when it could not. */
  readonly problem?: string;
}

/** The merge state: every merged hierarchy, sysext and confext. */
export interface MergeState {
  readonly hierarchies: readonly MergedHierarchy[];
}

const isExtensionSource = (source: string): source is ExtensionKind => source === 'sysext' || source === 'confext';

/** The overlay mounts systemd-sysext/-confext made, topmost at each mount point; binds of their parts are not hierarchies. */
export function extensionOverlays(entries: readonly MountEntry[]): { entry: MountEntry; kind: ExtensionKind }[] {
  const found: { entry: MountEntry; kind: ExtensionKind }[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.fsType !== 'overlay' || !isExtensionSource(entry.source) || entry.root !== '/') continue;
    if (seen.has(entry.mountPoint)) continue;
    seen.add(entry.mountPoint);
    // A later mount on the same point may hide the overlay; then it no longer serves the hierarchy.
    const top = mountStack(entries, entry.mountPoint).at(-1) ?? entry;
    if (top.fsType === 'overlay' && isExtensionSource(top.source) && top.root === '/') found.push({ entry: top, kind: top.source });
  }
  return found;
}

/**
 * Extension names from overlay's lowerdir: systemd stacks
 * /run/systemd/<sysext|confext>/<extensions|confexts>/<name><hierarchy>
 * (newest first) above the meta layer and the base hierarchy.
 */
export function extensionsFromLowerdir(entry: MountEntry): string[] {
  const lowerdir = optionValue(entry.superOptions, 'lowerdir');
  if (!lowerdir) return [];
  const names: string[] = [];
  for (const layer of lowerdir.split(/(?<!\\):/)) {
    const match = /^\/run\/systemd\/(?:sysext|confext)\/(?:extensions|confexts)\/([^/]+)/.exec(layer);
    if (match) names.push(match[1]!);
  }
  // lowerdir lists the top layer first; systemd's marker lists them in merge order.
  return names.reverse();
}

export interface Marker {
  readonly dev?: string;
  readonly extensions?: readonly string[];
  readonly since?: Date;
  /** The parsed `origin` file (systemd >= 262), when there is one. */
  readonly origin?: unknown;
  readonly error?: string;
}

const under = (path: string, directory: string) => path === directory || path.startsWith(`${directory}/`);

/** Pure: the mode from the overlay's options, when no origin marker says it. */
export function modeFromOptions(entry: MountEntry): MutableMode {
  const upper = optionValue(entry.superOptions, 'upperdir');
  const importsMutable = (optionValue(entry.superOptions, 'lowerdir') ?? '').split(/(?<!\\):/).some((layer) => under(layer, MUTABLE_DIRECTORY));
  if (upper !== undefined) return under(upper, MUTABLE_DIRECTORY) ? 'yes' : importsMutable ? 'ephemeral-import' : 'ephemeral';
  return importsMutable ? 'import' : 'no';
}

/** Pure: the mode and the extensions' paths an origin marker states, if it parses as systemd writes it. */
export function parseOrigin(origin: unknown): { mode?: MutableMode; sources: Record<string, string> } {
  const sources: Record<string, string> = {};
  if (typeof origin !== 'object' || origin === null) return { sources };
  const { mutable, extensions } = origin as { mutable?: { mode?: unknown }; extensions?: Record<string, { path?: unknown }> };
  if (typeof extensions === 'object' && extensions !== null) {
    for (const [name, value] of Object.entries(extensions)) if (typeof value?.path === 'string') sources[name] = value.path;
  }
  const mode = mutable?.mode;
  return { ...(typeof mode === 'string' && (MUTABLE_MODES as readonly string[]).includes(mode) ? { mode: mode as MutableMode } : {}), sources };
}

/** Pure: a merged hierarchy from its overlay and what its marker directory said. */
export function describeMerge(entry: MountEntry, kind: ExtensionKind, marker: Marker): MergedHierarchy {
  const extensions = marker.extensions && marker.extensions.length > 0 ? marker.extensions : extensionsFromLowerdir(entry);
  const confirmed = marker.dev === entry.device;
  let problem: string | undefined;
  if (marker.error) problem = marker.error;
  else if (!confirmed) problem = `marker says device ${marker.dev ?? '(none)'}, the overlay is ${entry.device}`;
  const origin = marker.origin === undefined ? undefined : parseOrigin(marker.origin);
  const upper = optionValue(entry.superOptions, 'upperdir');
  return {
    hierarchy: entry.mountPoint,
    kind,
    extensions,
    ...(marker.since ? { since: marker.since } : {}),
    mutable: upper !== undefined,
    mode: origin?.mode ?? modeFromOptions(entry),
    modeFrom: origin?.mode ? 'origin' : 'mountinfo',
    ...(upper !== undefined ? { writesTo: upper } : {}),
    ...(origin && Object.keys(origin.sources).length > 0 ? { sources: origin.sources } : {}),
    device: entry.device,
    confirmed,
    ...(problem ? { problem } : {}),
  };
}

/** The names file in the marker directory: systemd-confext writes `confexts`, systemd-sysext `extensions`. */
export const markerNamesFile = (kind: ExtensionKind) => (kind === 'confext' ? 'confexts' : 'extensions');

/** Reads `<hierarchy>/.systemd-<kind>/{dev,extensions|confexts,origin}` and the directory's mtime. */
export function readMarker(hierarchy: string, kind: ExtensionKind): Marker {
  const directory = markerDirectory(hierarchy, kind);
  try {
    const dev = readFileSync(`${directory}/dev`, 'utf8');
    let names = '';
    try {
      names = readFileSync(`${directory}/${markerNamesFile(kind)}`, 'utf8');
    } catch {
      // The names then come from the overlay's lowerdir (describeMerge).
    }
    let origin: unknown;
    try {
      origin = JSON.parse(readFileSync(`${directory}/origin`, 'utf8'));
    } catch {
      // Before systemd 262 there is none; the mode then comes from the overlay's options.
    }
    const status = statSync(directory);
    return {
      dev: dev.trim(),
      extensions: names.split('\n').map((line) => line.trim()).filter(Boolean),
      since: status.mtime,
      ...(origin === undefined ? {} : { origin }),
    };
  } catch (error) {
    return { error: `cannot read ${directory}: ${describeError(error)}` };
  }
}

export function readMergeState(entries: readonly MountEntry[], read: (hierarchy: string, kind: ExtensionKind) => Marker = readMarker): MergeState {
  return { hierarchies: extensionOverlays(entries).map(({ entry, kind }) => describeMerge(entry, kind, read(entry.mountPoint, kind))) };
}

/** The merge state now, from /proc/self/mountinfo; fails closed (exit 4) when the mount table cannot be read. */
export function currentMergeState(mountinfo = '/proc/self/mountinfo'): MergeState {
  let entries: MountEntry[];
  try {
    entries = parseMountinfo(readFileSync(mountinfo, 'utf8'));
  } catch (error) {
    throw new GuardError(`cannot read ${mountinfo}: ${describeError(error)}`, { exitCode: ExitCode.StateUnknown });
  }
  return readMergeState(entries);
}

/** Merged hierarchies of one kind (all without a kind). */
export const mergedOf = (state: MergeState, kind?: ExtensionKind) => state.hierarchies.filter((entry) => kind === undefined || entry.kind === kind);

export const isMerged = (state: MergeState, kind?: ExtensionKind) => mergedOf(state, kind).length > 0;

/** The extensions of one kind merged anywhere, each once, in merge order. */
export const mergedNames = (state: MergeState, kind: ExtensionKind): string[] => [...new Set(mergedOf(state, kind).flatMap((entry) => entry.extensions))];

/**
 * The mutable mode in force for one kind (what a re-merge must pass on to
 * keep it), or undefined when nothing of that kind is merged. One merge
 * covers every hierarchy of a kind with the same mode; a hierarchy whose
 * extensions carry nothing for it may show an ordinary overlay, so any
 * mutable one decides.
 */
export function modeInForce(state: MergeState, kind: ExtensionKind): MutableMode | undefined {
  const merged = mergedOf(state, kind);
  if (merged.length === 0) return undefined;
  return merged.find((entry) => entry.modeFrom === 'origin')?.mode ?? merged.find((entry) => entry.mode !== 'no')?.mode ?? 'no';
}

/**
 * Whether the extension stored as `entry` (a directory NAME, or an image
 * NAME.raw) is merged: systemd names an image by its file name without
 * `.raw`, and the origin marker gives its path.
 */
export function isExtensionMerged(state: MergeState, kind: ExtensionKind, entry: string): boolean {
  const name = entry.endsWith('.raw') ? entry.slice(0, -'.raw'.length) : entry;
  return mergedOf(state, kind).some((merged) => merged.extensions.includes(name) || Object.values(merged.sources ?? {}).some((path) => basename(path) === entry));
}

/** Where writes to each mutable hierarchy would land, in words: "/usr → /var/lib/extensions.mutable/usr (mutable: yes)". */
export function describeWrites(entry: MergedHierarchy): string | undefined {
  if (!entry.mutable) return entry.mode === 'import' ? `${entry.hierarchy} is read-only (mutable: import, ${MUTABLE_DIRECTORY} merged as a layer)` : undefined;
  const lost = entry.mode === 'ephemeral' || entry.mode === 'ephemeral-import' ? ', lost at unmerge' : '';
  return `writes to ${entry.hierarchy} land in ${entry.writesTo}${lost} (mutable: ${entry.mode})`;
}
