/**
 * Unpacking package files, the way libalpm does: bsdtar (libarchive, which
 * pacman itself is built on) with owners by number, permissions, ACLs and
 * extended attributes (file capabilities live there). bsdtar ships with
 * libarchive, a dependency of pacman, so it is always present where pacman is.
 */
import { readdir, rename, lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardError } from '../errors.js';
// execa is imported where it runs, never at the top: guard update imports this
// module (its fit check lists trees; guard extend rebuilds) on every run, and
// execa's import alone was most of that command's start-up: `guard update
// --help` took 515 ms of CPU with it at the top, 315 ms without (median of
// 10 alternating runs, /usr/bin/time, this 2-core machine under load).

export const BSDTAR_EXTRACT_ARGS = ['-x', '--preserve-permissions', '--xattrs', '--acls', '--numeric-owner'] as const;

export async function extractPackage(file: string, directory: string, bsdtar = 'bsdtar'): Promise<void> {
  await mkdir(directory, { recursive: true });
  const { execa } = await import('execa');
  try {
    await execa(bsdtar, [...BSDTAR_EXTRACT_ARGS, '-f', file, '-C', directory], { env: { LC_ALL: 'C' }, timeout: 30 * 60_000 });
  } catch (error) {
    const failure = error as { code?: string; stderr?: string; shortMessage?: string };
    if (failure.code === 'ENOENT') throw new GuardError('bsdtar is not installed', { hints: ['  install libarchive (bsdtar)'], cause: error });
    throw new GuardError(`cannot extract ${file}: ${failure.stderr?.trim() || failure.shortMessage || String(error)}`, { cause: error });
  }
}

/** Every path under `root`, relative, directories ending in '/', sorted: pacman's file-list form. */
export async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries.map((entry) => {
    const relative = join(entry.parentPath ?? entry.path, entry.name).slice(root.length + 1);
    return entry.isDirectory() ? `${relative}/` : relative;
  });
  return paths.sort();
}

/**
 * Moves `source` to `target` by renames, merging directories that both
 * have; a non-directory on both sides is a conflict the caller ruled out
 * before, so it is an error here.
 */
export async function moveTree(source: string, target: string): Promise<void> {
  let existing;
  try {
    existing = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await rename(source, target);
    return;
  }
  const incoming = await lstat(source);
  if (!existing.isDirectory() || !incoming.isDirectory()) throw new GuardError(`${target} exists twice in the extension`);
  for (const name of await readdir(source)) await moveTree(join(source, name), join(target, name));
}
