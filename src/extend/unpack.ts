/**
 * One package into an extension tree: unpack it whole beside the tree (one
 * pass of decompression), sort its paths, then move its hierarchies into the
 * tree by rename. What `guard extend` does per package, and what the
 * extraction benchmark measures against bsdtar alone.
 */
import { lstat, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyContents, hierarchyPrefix, parsePkgInfo, type PackageContents } from './contents.js';
import { extractPackage, listTree, moveTree } from './extract.js';

export interface UnpackedPackage {
  readonly directory: string;
  /** Every path, pacman's file-list form (directories end in '/'). */
  readonly paths: readonly string[];
  readonly contents: PackageContents;
  readonly pkgInfo: ReadonlyMap<string, readonly string[]>;
  /** The .INSTALL scriptlet, if the package has one. */
  readonly install?: string;
}

export async function unpackPackage(file: string, directory: string, hierarchies: readonly string[]): Promise<UnpackedPackage> {
  await extractPackage(file, directory);
  const paths = await listTree(directory);
  const [pkgInfo, install] = await Promise.all([
    readFile(join(directory, '.PKGINFO'), 'utf8').catch(() => ''),
    readFile(join(directory, '.INSTALL'), 'utf8').catch(() => undefined),
  ]);
  return {
    directory,
    paths,
    contents: classifyContents(paths, hierarchies),
    pkgInfo: parsePkgInfo(pkgInfo),
    ...(install !== undefined ? { install } : {}),
  };
}

/** Moves the package's hierarchies (usr/, opt/, …) into `tree`, merging with what other packages put there. */
export async function moveHierarchies(unpacked: UnpackedPackage, tree: string, hierarchies: readonly string[]): Promise<void> {
  for (const hierarchy of hierarchies) {
    const relative = hierarchyPrefix(hierarchy).slice(0, -1);
    const source = join(unpacked.directory, relative);
    if (!(await lstat(source).then((status) => status.isDirectory(), () => false))) continue;
    await mkdir(join(tree, relative, '..'), { recursive: true, mode: 0o755 });
    await moveTree(source, join(tree, relative));
  }
}
