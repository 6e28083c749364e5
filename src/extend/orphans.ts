/**
 * Orphans among the packages merged extensions carry, as `pacman -Qdt` finds
 * them: installed as dependencies and needed by nothing installed. pacman
 * decides, through its view of merged packages: `-Qdtq` names the orphans,
 * then `-Rs --print` of those carried by extensions names everything their
 * removal takes with it (dependencies that only they needed). Base packages
 * are never among what is pruned: they change only in guard update's window.
 */
import { execa } from 'execa';
import { GuardError } from '../errors.js';
import { listStore, type StoredExtension } from '../system/extension-store.js';
import { planRemovalOf, type RemovalStep } from './removal.js';
import { localPackageName } from '../pacman/local-entry.js';
import { baseEntries } from '../system/view.js';

/** The names of the merged system extensions (an import away, so --list's reader is the one extend.ts uses). */
async function mergedNames(): Promise<Set<string>> {
  const { listExtensions } = await import('./extend.js');
  return new Set((await listExtensions()).filter((extension) => extension.merged).map((extension) => extension.name));
}

/** Pure: the packages of guard-built extensions. */
export function carriedPackages(extensions: readonly StoredExtension[]): Set<string> {
  return new Set(extensions.flatMap((extension) => extension.provenance?.packages.map((entry) => entry.name) ?? []));
}

/** Pure: per extension, which of its packages are orphans, and whether that is all of them (the extension itself is then one). */
export function orphansByExtension(extensions: readonly StoredExtension[], orphans: ReadonlySet<string>): Map<string, { readonly packages: readonly string[]; readonly whole: boolean }> {
  const found = new Map<string, { packages: string[]; whole: boolean }>();
  for (const extension of extensions) {
    const packages = extension.provenance?.packages ?? [];
    const orphaned = packages.filter((entry) => orphans.has(entry.name)).map((entry) => entry.name);
    if (orphaned.length > 0) found.set(extension.name, { packages: orphaned, whole: orphaned.length === packages.length });
  }
  return found;
}

async function pacmanNames(pacman: string, args: readonly string[], emptyIsExit1: boolean): Promise<string[]> {
  const result = await execa(pacman, [...args], { env: { LC_ALL: 'C' }, stdin: 'ignore', reject: false });
  if (result.failed && !(emptyIsExit1 && result.exitCode === 1 && result.stdout.trim() === '' && result.stderr.trim() === '')) {
    const said = result.stderr.split('\n').find((line) => line.startsWith('error: '))?.slice('error: '.length);
    throw new GuardError(`pacman ${args.join(' ')} failed: ${said ?? result.shortMessage}`);
  }
  return result.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

/**
 * The packages of merged guard-built extensions that `guard extend --prune`
 * would take out: the orphans they carry and what only those need.
 * `merged` are the extensions pacman's view shows.
 */
export async function extensionOrphans(pacman: string, merged: readonly StoredExtension[]): Promise<Set<string>> {
  const carried = carriedPackages(merged);
  // -Qdtq exits 1, saying nothing, when there is no orphan.
  const orphans = (await pacmanNames(pacman, ['-Qdtq'], true)).filter((name) => carried.has(name));
  if (orphans.length === 0) return new Set();
  const removed = await pacmanNames(pacman, ['-Rs', '--print', '--print-format', '%n', '--', ...orphans], false);
  return new Set(removed.filter((name) => carried.has(name)));
}

/** What `guard extend --prune` would do: the removal plan for the orphans merged extensions carry (empty steps: none). */
export async function prunePlan(pacman: string, dbPath: string): Promise<readonly RemovalStep[]> {
  const [extensions, merged] = await Promise.all([listStore(), mergedNames()]);
  const orphans = await extensionOrphans(pacman, extensions.filter((extension) => merged.has(extension.name)));
  if (orphans.size === 0) return [];
  const base = new Set((await baseEntries(dbPath)).map(localPackageName));
  const plan = planRemovalOf([...orphans], extensions, base);
  if (plan.kind !== 'extensions') throw new GuardError(`internal error: the orphans of extensions planned as '${plan.kind}'`);
  return plan.steps;
}
