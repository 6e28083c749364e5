/**
 * Which hierarchies have system (or configuration) extensions merged,
 * read from the mount table the way systemd-sysext's own `status` checks it,
 * without spawning systemd-sysext.
 *
 * systemd-sysext mounts an overlay whose source is `sysext` (`confext` for
 * systemd-confext) on each hierarchy, with a marker directory
 * `<hierarchy>/.systemd-sysext/` (`.systemd-confext/`) in its top layer that
 * holds `dev` (the overlay's major:minor) and `extensions` (one name per
 * line). Hierarchies are whatever SYSTEMD_SYSEXT_HIERARCHIES said in the
 * merging process's environment, so every overlay with that source counts,
 * at any mount point. A mutable merge (systemd >= 256: `upperdir=`) counts
 * too: pacman's writes would land in the upper layer while its database
 * records them for good.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync, statSync } from 'node:fs';
import { describeError } from '../errors.js';
import { mountStack, optionValue, type MountEntry } from './mountinfo.js';

export type ExtensionKind = 'sysext' | 'confext';

export interface MergedHierarchy {
  readonly hierarchy: string;
  readonly kind: ExtensionKind;
  readonly extensions: readonly string[];
  /** When the marker was written, i.e. when the merge happened. */
  readonly since?: Date;
  readonly mutable: boolean;
  readonly device: string;
  /** The marker's `dev` matches the overlay, as systemd-sysext status requires. */
  readonly confirmed: boolean;
  /** Why the marker could not confirm the merge, when it could not. */
  readonly problem?: string;
}

/** The overlay mounts systemd-sysext/-confext made, topmost at each mount point. */
export function extensionOverlays(entries: readonly MountEntry[]): { entry: MountEntry; kind: ExtensionKind }[] {
  const found: { entry: MountEntry; kind: ExtensionKind }[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.fsType !== 'overlay' || (entry.source !== 'sysext' && entry.source !== 'confext')) continue;
    if (seen.has(entry.mountPoint)) continue;
    seen.add(entry.mountPoint);
    // A later mount on the same point may hide the overlay; then it no longer serves the hierarchy.
    const top = mountStack(entries, entry.mountPoint).at(-1) ?? entry;
    if (top.fsType === 'overlay' && (top.source === 'sysext' || top.source === 'confext')) {
      found.push({ entry: top, kind: top.source as ExtensionKind });
    }
  }
  return found;
}

/**
 * Extension names from overlay's lowerdir: systemd stacks
 * /run/systemd/<kind>/extensions/<name><hierarchy> (newest first) above the
 * meta layer and the base hierarchy.
 */
export function extensionsFromLowerdir(entry: MountEntry, kind: ExtensionKind): string[] {
  const lowerdir = optionValue(entry.superOptions, 'lowerdir');
  if (!lowerdir) return [];
  const prefix = `/run/systemd/${kind}/extensions/`;
  const names: string[] = [];
  for (const layer of lowerdir.split(/(?<!\\):/)) {
    if (!layer.startsWith(prefix)) continue;
    const name = layer.slice(prefix.length).split('/')[0];
    if (name) names.push(name);
  }
  // lowerdir lists the top layer first; systemd's marker lists them in merge order.
  return names.reverse();
}

export interface Marker {
  readonly dev?: string;
  readonly extensions?: readonly string[];
  readonly since?: Date;
  readonly error?: string;
}

/** Pure: a merged hierarchy from its overlay and what its marker directory said. */
export function describeMerge(entry: MountEntry, kind: ExtensionKind, marker: Marker): MergedHierarchy {
  const fromLowerdir = extensionsFromLowerdir(entry, kind);
  const extensions = marker.extensions && marker.extensions.length > 0 ? marker.extensions : fromLowerdir;
  const confirmed = marker.dev === entry.device;
  let problem: string | undefined;
  if (marker.error) problem = marker.error;
  else if (!confirmed) problem = `marker says device ${marker.dev ?? '(none)'}, the overlay is ${entry.device}`;
  return {
    hierarchy: entry.mountPoint,
    kind,
    extensions,
    ...(marker.since ? { since: marker.since } : {}),
    mutable: optionValue(entry.superOptions, 'upperdir') !== undefined,
    device: entry.device,
    confirmed,
    ...(problem ? { problem } : {}),
  };
}

/**
 * The hierarchies systemd-sysext (-confext) merges for a process with this
 * environment: SYSTEMD_SYSEXT_HIERARCHIES (SYSTEMD_CONFEXT_HIERARCHIES),
 * colon-separated, or the defaults.
 */
export function extensionHierarchies(env: NodeJS.ProcessEnv, kind: ExtensionKind = 'sysext'): string[] {
  const value = kind === 'sysext' ? env.SYSTEMD_SYSEXT_HIERARCHIES : env.SYSTEMD_CONFEXT_HIERARCHIES;
  if (value) return value.split(':').filter(Boolean);
  return kind === 'sysext' ? ['/usr', '/opt'] : ['/etc'];
}

export function markerDirectory(hierarchy: string, kind: ExtensionKind): string {
  return `${hierarchy === '/' ? '' : hierarchy}/.systemd-${kind}`;
}

/** Reads `<hierarchy>/.systemd-<kind>/{dev,extensions}` and the directory's mtime. */
export async function readMarker(hierarchy: string, kind: ExtensionKind): Promise<Marker> {
  const directory = markerDirectory(hierarchy, kind);
  try {
    const dev = readFileSync(`${directory}/dev`, 'utf8');
    let extensions = '';
    try {
      extensions = readFileSync(`${directory}/extensions`, 'utf8');
    } catch {
      // The names then come from the overlay's lowerdir (describeMerge).
    }
    const status = statSync(directory);
    return {
      dev: dev.trim(),
      extensions: extensions.split('\n').map((line) => line.trim()).filter(Boolean),
      since: status.mtime,
    };
  } catch (error) {
    return { error: `cannot read ${directory}: ${describeError(error)}` };
  }
}

export async function mergedHierarchies(entries: readonly MountEntry[], read = readMarker): Promise<MergedHierarchy[]> {
  return Promise.all(extensionOverlays(entries).map(async ({ entry, kind }) => describeMerge(entry, kind, await read(entry.mountPoint, kind))));
}
