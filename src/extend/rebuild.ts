/**
 * Building an extension again from what it was built from: a held one (it no
 * longer fit the base, src/fit/check.ts) or one in the store. guard extend
 * --rebuild NAME, and guard update for every held extension (heldTargets).
 * The held copy goes once the new one is merged (extend()); a rebuild that
 * fails leaves it held, with its reason.
 */
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { extend, type ExtendRequest, type ExtendResult } from './extend.js';
import { EXTENSION_STORE, listHeld, listStore, readProvenance, type Provenance } from '../system/extension-store.js';

/** Pure: the targets to build it from again: names from repositories, files for packages given as files. */
export function rebuildTargets(provenance: Pick<Provenance, 'packages'> | undefined): string[] {
  return (provenance?.packages ?? []).filter((entry) => entry.explicit).map((entry) => (entry.repository === 'local' ? entry.file : entry.name));
}

/** What NAME was built from: the store's copy, else the held one. */
async function provenanceOf(name: string, store: string): Promise<Provenance> {
  const stored = (await listStore(store)).find((extension) => extension.name === name);
  const held = stored ? undefined : (await listHeld(store)).find((extension) => extension.name === name);
  if (!stored && !held) throw new GuardError(`extension ${name} not found in ${store}`, { exitCode: ExitCode.Usage, hints: ['  list them with: guard extend --list'] });
  const provenance = stored ? stored.provenance : await readProvenance(held!.path, name).catch(() => undefined);
  if (!provenance || rebuildTargets(provenance).length === 0) {
    throw new GuardError(`extension ${name} was not built by guard extend: there is nothing to rebuild it from`, { exitCode: ExitCode.Usage, hints: [`  remove it: guard extend --remove ${name}`] });
  }
  return provenance;
}

export type RebuildRequest = Omit<ExtendRequest, 'targets' | 'name'>;

/** `guard extend --rebuild NAME`. */
export async function rebuildExtension(name: string, request: RebuildRequest, store = EXTENSION_STORE): Promise<ExtendResult> {
  const provenance = await provenanceOf(name, store);
  return extend({ ...request, targets: rebuildTargets(provenance), name }, store);
}

/**
 * Every held extension and what to build it from again, for guard update,
 * which writes them ahead into its record and rebuilds them with the
 * extensions it found needing a rebuild (docs/update.md). One without
 * provenance has nothing to be rebuilt from and is left out.
 */
export async function heldTargets(store = EXTENSION_STORE): Promise<{ name: string; targets: string[] }[]> {
  const found: { name: string; targets: string[] }[] = [];
  for (const held of await listHeld(store)) {
    const targets = rebuildTargets(await readProvenance(held.path, held.name).catch(() => undefined));
    if (targets.length > 0) found.push({ name: held.name, targets });
  }
  return found;
}
