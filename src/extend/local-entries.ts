/**
 * The local-database entry of each package an extension carries, written
 * into the extension itself (usr/lib/pacman-guard/local/NAME-VERSION/): what
 * pacman would have recorded had it installed the package, limited to what
 * the extension carries. Merged, pacman's view shows them (src/system/view.ts);
 * they never enter the real database.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GuardError, describeError } from '../errors.js';
import { entryDirectory, entryFromPkgInfo, filterMtree, renderDesc, renderFiles, type LocalEntry, type Validation } from '../pacman/local-entry.js';
import { ENTRIES_IN_EXTENSION } from '../system/view.js';
import type { UnpackedPackage } from './unpack.js';

export interface EntryFacts {
  readonly installDate: number;
  readonly reason: 0 | 1;
  readonly validation: readonly Validation[];
}

/** Writes desc, files and (when the package has an .MTREE) mtree for one package into `tree`. */
export async function writeLocalEntry(tree: string, unpacked: UnpackedPackage, carried: readonly string[], facts: EntryFacts): Promise<LocalEntry> {
  let entry: LocalEntry;
  try {
    entry = entryFromPkgInfo({ pkgInfo: unpacked.pkgInfo, ...facts });
  } catch (error) {
    throw new GuardError(`cannot record the package in pacman's view: ${describeError(error)}`);
  }
  const directory = join(tree, ENTRIES_IN_EXTENSION, entryDirectory(entry));
  await mkdir(directory, { recursive: true, mode: 0o755 });
  await writeFile(join(directory, 'desc'), renderDesc(entry), { mode: 0o644 });
  await writeFile(join(directory, 'files'), renderFiles(carried), { mode: 0o644 });
  let mtree: Buffer | undefined;
  try {
    mtree = await readFile(join(unpacked.directory, '.MTREE'));
  } catch {
    // A package without .MTREE (old makepkg) gets no mtree, as pacman gives it none.
  }
  if (mtree) {
    const text = gunzipSync(mtree).toString('utf8');
    await writeFile(join(directory, 'mtree'), gzipSync(filterMtree(text, new Set(carried))), { mode: 0o644 });
  }
  return entry;
}
