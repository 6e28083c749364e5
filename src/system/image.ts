/**
 * The read-only image: which hierarchies pacman would write package files
 * into are mounted read-only, and how. Pure: reads only the parsed mount
 * table (and, for dm-verity, what the caller learnt about the device).
 *
 * Merged extensions are looked through: systemd-sysext's overlay is always
 * read-only, but the image is what lies underneath it, the mount that is
 * visible again after `systemd-sysext unmerge`.
 *
 * How it is read-only decides how `guard update` can open a maintenance
 * window on it:
 * - `mount`: a per-mount flag (`mount -o remount,bind,ro`); a private mount
 *   namespace can clear it on its own copy of the mount, and nobody else sees;
 * - `superblock`: the file system itself is read-only (`mount -o remount,ro`,
 *   visible as `ro` in the super options); making it writable is seen through
 *   every mount of it, so the other mounts are first made read-only per mount;
 * - `immutable`: squashfs, erofs, a read-only overlay, dm-verity: there is no
 *   writing it at all; the base is updated as a new image.
 */
import { mountStack, optionValue, type MountEntry } from './mountinfo.js';

export type ReadOnlyKind = 'mount' | 'superblock' | 'immutable';

export interface ImageHierarchy {
  readonly hierarchy: string;
  /** The mount that holds the hierarchy once nothing is merged on it. */
  readonly mount: MountEntry;
  /** Undefined: writable. */
  readonly readOnly?: ReadOnlyKind;
  /** Why it is immutable, for the message ("squashfs", "dm-verity"). */
  readonly immutableBecause?: string;
}

/** File systems that cannot be written, whatever the mount says. */
const IMMUTABLE_FILE_SYSTEMS = new Set(['squashfs', 'erofs', 'iso9660', 'cramfs', 'romfs', 'udf']);

const isExtensionOverlay = (entry: MountEntry) => entry.fsType === 'overlay' && (entry.source === 'sysext' || entry.source === 'confext');

const isWithin = (path: string, mountPoint: string) => mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`);

/** The mount that shows `path` with system extensions unmerged. */
export function baseMount(entries: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const entry of entries) {
    if (!isWithin(path, entry.mountPoint) || isExtensionOverlay(entry)) continue;
    if (!best || entry.mountPoint.length > best.mountPoint.length) best = entry;
  }
  if (!best) return undefined;
  const stack = mountStack(entries, best.mountPoint).filter((entry) => !isExtensionOverlay(entry));
  return stack.at(-1) ?? best;
}

function immutableBecause(mount: MountEntry, verityDevices: ReadonlySet<string>): string | undefined {
  if (IMMUTABLE_FILE_SYSTEMS.has(mount.fsType)) return `a ${mount.fsType} file system`;
  if (mount.fsType === 'overlay' && optionValue(mount.superOptions, 'upperdir') === undefined) return 'an overlay with no upper layer';
  if (verityDevices.has(mount.device)) return 'on a dm-verity device';
  return undefined;
}

/**
 * @param hierarchies where packages put files that the image holds (the sysext hierarchies)
 * @param verityDevices `major:minor` of devices known to be dm-verity targets
 */
export function imageHierarchies(entries: readonly MountEntry[], hierarchies: readonly string[], verityDevices: ReadonlySet<string> = new Set()): ImageHierarchy[] {
  const found: ImageHierarchy[] = [];
  for (const hierarchy of hierarchies) {
    const mount = baseMount(entries, hierarchy);
    if (!mount) continue;
    const superblockReadOnly = mount.superOptions[0] === 'ro' || mount.superOptions.includes('ro');
    const mountReadOnly = mount.mountOptions[0] === 'ro' || mount.mountOptions.includes('ro');
    const because = immutableBecause(mount, verityDevices);
    // An immutable file system that is mounted read-write (overlay with no upper layer is one) still cannot be written.
    if (because !== undefined && (mountReadOnly || superblockReadOnly || mount.fsType === 'overlay')) {
      found.push({ hierarchy, mount, readOnly: 'immutable', immutableBecause: because });
    } else if (superblockReadOnly) found.push({ hierarchy, mount, readOnly: 'superblock' });
    else if (mountReadOnly) found.push({ hierarchy, mount, readOnly: 'mount' });
    else found.push({ hierarchy, mount });
  }
  return found;
}

/** The hierarchies that are read-only, in words for messages: "/usr (read-only mount)". */
export function describeReadOnly(entry: ImageHierarchy): string {
  switch (entry.readOnly) {
    case 'mount':
      return `${entry.hierarchy} is mounted read-only`;
    case 'superblock':
      return `${entry.hierarchy} is a read-only file system`;
    case 'immutable':
      return `${entry.hierarchy} is an immutable image (${entry.immutableBecause})`;
    case undefined:
      return `${entry.hierarchy} is writable`;
  }
}
