/**
 * The maintenance window: the real pacman runs in a private mount namespace
 * in which the image's read-only hierarchies are writable. No other process
 * ever sees them writable:
 * - a read-only *mount* (`remount,bind,ro`) is a flag of each mount; the new
 *   namespace gets copies of the mounts and clears the flag on its copy only;
 * - a read-only *file system* (`remount,ro`) is shared by every mount of it,
 *   so before it is made writable the host's mount is made read-only per
 *   mount; the namespace then makes the file system and its own copy
 *   writable. Afterwards `closeWindow` makes the file system read-only again.
 *
 * If the guard dies, pacman goes on in its namespace and the namespace goes
 * with the last process in it: the writable copies vanish, the host's mounts
 * never changed (or stay read-only per mount).
 */
import { spawn } from 'node:child_process';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { ImageHierarchy } from '../system/image.js';
import { keptFlags, remountBind, remountFileSystem } from '../system/mount.js';
import type { OpenedHierarchy } from '../system/update-record.js';

/** The remounts the namespace makes, as `mount -o OPTIONS PATH` pairs. */
export function namespaceRemounts(opened: readonly ImageHierarchy[]): string[] {
  return opened.flatMap((entry) => {
    const flags = keptFlags(entry.mount.mountOptions);
    const options = entry.readOnly === 'superblock' ? ['remount', 'rw', ...flags] : ['remount', 'bind', 'rw', ...flags];
    return [options.join(','), entry.hierarchy];
  });
}

/**
 * The namespace's first process: a fixed script, never built from input.
 * Its arguments are the remount pairs, `--`, then pacman's argv. It stops
 * before pacman if a remount fails (set -e), and then execs pacman, which
 * keeps the terminal, its signals and its exit status.
 */
const NAMESPACE_SCRIPT = 'set -e; while [ "$1" != -- ]; do mount -o "$1" -- "$2"; shift 2; done; shift; exec "$@"';

export function namespaceArgv(opened: readonly ImageHierarchy[], pacman: string, args: readonly string[]): string[] {
  return ['--mount', '--propagation', 'private', '--', 'sh', '-c', NAMESPACE_SCRIPT, 'pacman-guard-update', ...namespaceRemounts(opened), '--', pacman, ...args];
}

/** Host side, before the window opens: a read-only file system's other mounts become read-only per mount. */
export async function prepareHost(opened: readonly ImageHierarchy[]): Promise<OpenedHierarchy[]> {
  const record: OpenedHierarchy[] = [];
  for (const entry of opened) {
    if (entry.readOnly === 'superblock') await remountBind(entry.hierarchy, 'ro', keptFlags(entry.mount.mountOptions));
    record.push({ hierarchy: entry.hierarchy, kind: entry.readOnly === 'superblock' ? 'superblock' : 'mount' });
  }
  return record;
}

/** Host side, after pacman: file systems made writable in the window are read-only again. */
export async function closeWindow(opened: readonly OpenedHierarchy[]): Promise<void> {
  for (const entry of opened) {
    if (entry.kind === 'superblock') await remountFileSystem(entry.hierarchy, 'ro');
  }
}

export interface PacmanExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Runs pacman in the window with the terminal. Ctrl-C reaches pacman (the
 * whole foreground process group gets it) and pacman decides, as it would
 * alone. Signals sent to the guard alone are not passed on: the update holds
 * them for the whole window (holdSignals in update.ts says why).
 */
export function runInWindow(opened: readonly ImageHierarchy[], pacman: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<PacmanExit> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', namespaceArgv(opened, pacman, args), { stdio: 'inherit', env });
    child.once('error', (error) => {
      reject(new GuardError(`cannot start pacman in a private mount namespace: ${error.message}`, { exitCode: ExitCode.Failure, cause: error }));
    });
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
}
