/**
 * Whether pacman's database directory is locked: the design's lock is a bind
 * mount of the directory onto itself, remounted read-only. Pure: reads only
 * the parsed mount table.
 */
import { isReadOnly, mountStack, optionValue, type MountEntry } from './mountinfo.js';

/** The source name of the view's overlay (src/system/view.ts), how the mount table tells it apart. */
export const VIEW_SOURCE = 'pacman-guard-view';

export interface DbLockState {
  readonly dbPath: string;
  /** What pacman sees at DBPath is mounted read-only, so it cannot create db.lck. */
  readonly locked: boolean;
  /** Bind mounts of the directory onto itself stacked at DBPath (the guard makes exactly one). */
  readonly selfBinds: number;
  /** Self-binds stacked but the top one is writable again (`mount -o remount,rw`). */
  readonly remountedReadWrite: boolean;
  /** The top self-bind, if any: what `guard unlock` removes. */
  readonly topSelfBind?: MountEntry;
  /**
   * The guard's read-only view of the database plus the merged extensions'
   * entries (an overlay with no upper layer), when it is the topmost mount.
   */
  readonly view?: MountEntry;
  /** The topmost mount at DBPath, whatever it is. */
  readonly stackTop?: MountEntry;
  /** The mount that holds DBPath underneath the self-binds (for its nosuid/nodev/noexec flags). */
  readonly underlying?: MountEntry;
  /** Mounts at DBPath that are not the guard's (1 when DBPath is a file system of its own, else 0). */
  readonly otherMounts: number;
  /** Views of the guard's anywhere in the stack at DBPath (a copy mount propagation left under a self-bind counts). */
  readonly views: number;
}

/** `/var/lib/pacman/` → `/var/lib/pacman`. */
export function normalizeDirectory(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.replace(/\/{2,}/g, '/');
}

function isWithin(path: string, mountPoint: string): boolean {
  return mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`);
}

/** The mount that shows `path` when nothing is mounted on `path` itself. */
function enclosingMount(entries: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const entry of entries) {
    if (entry.mountPoint === path || !isWithin(path, entry.mountPoint)) continue;
    if (!best || entry.mountPoint.length > best.mountPoint.length) best = entry;
  }
  return best && (mountStack(entries, best.mountPoint).at(-1) ?? best);
}

function joinRoot(root: string, relative: string): string {
  return normalizeDirectory(`${root}/${relative}`);
}

export function dbLockState(entries: readonly MountEntry[], dbPathInput: string): DbLockState {
  const dbPath = normalizeDirectory(dbPathInput);
  const stack = mountStack(entries, dbPath);
  const enclosing = enclosingMount(entries, dbPath);

  // What a bind of DBPath onto itself looks like: the same filesystem and directory as underneath.
  let underlying: MountEntry | undefined;
  let expectedRoot: string | undefined;
  if (enclosing) {
    const relative = dbPath.slice(enclosing.mountPoint === '/' ? 0 : enclosing.mountPoint.length);
    expectedRoot = joinRoot(enclosing.root, relative);
    underlying = enclosing;
  }
  const bottom = stack[0];
  if (bottom && !(underlying && bottom.device === underlying.device && bottom.root === expectedRoot)) {
    // DBPath is a filesystem of its own; self-binds repeat it.
    underlying = bottom;
    expectedRoot = bottom.root;
  }
  const isSelfBind = (entry: MountEntry) => entry !== underlying && entry.device === underlying?.device && entry.root === expectedRoot;
  const selfBinds = stack.filter(isSelfBind);
  // Whatever pacman sees at DBPath decides; with nothing mounted there, the enclosing filesystem does.
  const visible = stack.at(-1) ?? enclosing;
  const locked = visible !== undefined && isReadOnly(visible);
  const topSelfBind = selfBinds.at(-1);
  const top = stack.at(-1);
  const view = top && isViewMount(top) ? top : undefined;
  return {
    dbPath,
    locked,
    selfBinds: selfBinds.length,
    remountedReadWrite: selfBinds.length > 0 && !locked,
    otherMounts: stack.filter((entry) => !isSelfBind(entry) && !isViewMount(entry)).length,
    views: stack.filter(isViewMount).length,
    ...(topSelfBind ? { topSelfBind } : {}),
    ...(view ? { view } : {}),
    ...(stack.length > 0 ? { stackTop: stack.at(-1)! } : {}),
    ...(underlying ? { underlying } : {}),
  };
}

export function isViewMount(entry: MountEntry): boolean {
  return entry.fsType === 'overlay' && entry.source === VIEW_SOURCE;
}

/** Pure: the view's own layer (the top lowerdir, holding local/NAME-VERSION entries), from the overlay's options. */
export function viewLayer(view: MountEntry): string | undefined {
  const lowerdir = optionValue(view.superOptions, 'lowerdir');
  return lowerdir?.split(/(?<!\\):/)[0];
}
