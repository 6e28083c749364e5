/**
 * `guard update --rollback`: what undoing the last update takes, from the
 * package lists the update kept (src/system/update-record.ts, LAST_UPDATE)
 * and pacman's package cache. Pure but for the cache lookup.
 *
 * - a package the update upgraded or downgraded: its previous version, from the cache;
 * - a package it removed: back, from the cache;
 * - a package it added: removed.
 * A version missing from the cache refuses the whole rollback before anything changes.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { localPackageName } from '../pacman/local-entry.js';

export interface RollbackPlan {
  /** local/ entries (`name-version-release`) to install again, from the cache. */
  readonly install: readonly string[];
  /** Package names to remove. */
  readonly remove: readonly string[];
}

const nameOf = localPackageName;

/** Pure: from the base before the update and the base now. */
export function rollbackPlan(before: readonly string[], now: readonly string[]): RollbackPlan {
  const nowSet = new Set(now);
  const beforeNames = new Set(before.map(nameOf));
  return {
    install: before.filter((entry) => !nowSet.has(entry)).sort(),
    remove: now.filter((entry) => !beforeNames.has(nameOf(entry))).map(nameOf).sort(),
  };
}

/** Pure: whether a cache file name is the package file of a local/ entry (`name-version-release-arch.pkg.tar.*`, no signature). */
export function isPackageFileOf(file: string, entry: string): boolean {
  if (!file.startsWith(`${entry}-`) || file.endsWith('.sig')) return false;
  return /^[^-]+\.pkg\.tar(\.[a-z0-9]+)?$/.test(file.slice(entry.length + 1));
}

/** The cached file of each entry; the entries that are in no cache directory. */
export function findInCache(entries: readonly string[], cacheDirs: readonly string[]): { files: string[]; missing: string[] } {
  const listings = cacheDirs.map((directory) => {
    try {
      return { directory, names: readdirSync(directory) };
    } catch {
      return { directory, names: [] as string[] };
    }
  });
  const files: string[] = [];
  const missing: string[] = [];
  for (const entry of entries) {
    const found = listings.flatMap(({ directory, names }) => names.filter((name) => isPackageFileOf(name, entry)).map((name) => join(directory, name)))[0];
    if (found) files.push(found);
    else missing.push(entry);
  }
  return { files, missing };
}
