/**
 * The filesystem's answers for src/pacman/location.ts: where a path leads
 * for a process with a given root directory (pacman 6.0's chroot into
 * --sysroot) and working directory, and what a pacman.conf says.
 * Synchronous reads, like every file access on the hot paths (src/system/probe.ts says why).
 */
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LocationLookup, PathContext } from '../pacman/location.js';
import { readPacmanConfig } from './pacman-conf.js';

/** Linux's MAXSYMLINKS: realpath(3) gives up with ELOOP after this many links. */
const MAX_SYMLINKS = 40;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * realpath(3) as a process chrooted into `root` sees it, as a path on this
 * system: absolute symlinks and `..` stop at `root`. `root` itself must be
 * resolved already.
 */
export function realpathWithin(path: string, context: PathContext): string | undefined {
  if (path === '') return undefined;
  const start = path.startsWith('/') ? path : `${context.cwd}/${path}`;
  const pending = start.split('/').filter((part) => part !== '');
  const inner: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      inner.pop();
      continue;
    }
    const onHost = join(context.root, ...inner, part);
    let stats;
    try {
      stats = lstatSync(onHost);
    } catch {
      return undefined;
    }
    if (stats.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) return undefined;
      let target: string;
      try {
        target = readlinkSync(onHost);
      } catch {
        return undefined;
      }
      if (target.startsWith('/')) inner.length = 0;
      pending.unshift(...target.split('/').filter((piece) => piece !== ''));
      continue;
    }
    if (pending.length > 0 && !stats.isDirectory()) return undefined;
    inner.push(part);
  }
  return join(context.root, ...inner);
}

function realpathFrom(path: string, context: PathContext, directory = false): string | undefined {
  // Not node's path.resolve(): it drops `..` before the symlink in front of it is followed.
  const resolved = realpathWithin(path, context);
  if (resolved === undefined || (directory && !isDirectory(resolved))) return undefined;
  return resolved;
}

export const systemLocationLookup: LocationLookup = {
  realpath: realpathFrom,
  async configuredPaths(configFile, root) {
    const config = await readPacmanConfig({ config: configFile, ...(root === undefined ? {} : { root }) });
    return { rootDir: config.rootDir, dbPath: config.dbPath };
  },
};
