/**
 * What the extensions were last checked against, in one file:
 * /var/lib/pacman-guard/fit.json holds a stamp of the base's package set
 * (its local/ entries, NAME-VERSION, not the sync databases) and of the
 * guard-built extensions in the store (name and build time), as they were
 * when every one of those extensions was found to fit. The same stamp now
 * means nothing to check: a merge pays a readdir and a hash. Kept on
 * persistent storage, so a boot after a power loss still sees that the base
 * changed under the extensions.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredExtension } from '../system/extension-store.js';

export const FIT_STATE = '/var/lib/pacman-guard/fit.json';

/** Pure: the stamp of a base (its local/ entry names) and the extensions checked over it. */
export function fitStamp(baseEntries: readonly string[], extensions: readonly Pick<StoredExtension, 'name' | 'provenance'>[]): string {
  const hash = createHash('sha256');
  for (const entry of [...baseEntries].sort()) hash.update(`base ${entry}\n`);
  const built = extensions.filter((extension) => extension.provenance).map((extension) => `extension ${extension.name} ${extension.provenance!.built}\n`).sort();
  for (const line of built) hash.update(line);
  return hash.digest('hex');
}

/** The stamp last recorded; undefined when there is none or it cannot be read (then everything is checked). */
export function readFitStamp(path = FIT_STATE): string | undefined {
  try {
    const stamp = (JSON.parse(readFileSync(path, 'utf8')) as { stamp?: unknown }).stamp;
    return typeof stamp === 'string' ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole or not at all. A failure only costs the next merge a check. */
export function writeFitStamp(stamp: string, path = FIT_STATE): boolean {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ stamp, checked: new Date().toISOString() })}\n`, { mode: 0o644 });
    renameSync(temporary, path);
    return true;
  } catch {
    return false;
  }
}
