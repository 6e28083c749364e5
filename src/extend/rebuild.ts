/**
 * Building an extension again from what it was built from: a held one (it no
 * longer fit the base, src/fit/check.ts) or one in the store. guard extend
 * --rebuild NAME, and guard update for every held extension. The held copy
 * goes once the new one is merged (extend()); a rebuild that fails leaves it
 * held, with its reason.
 */
import { describeError, GuardError } from '../errors.js';
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

export interface RebuildOutcome {
  readonly name: string;
  readonly result?: ExtendResult;
  /** Why it is still held. */
  readonly error?: string;
}

/** Every held extension, rebuilt against the base as it is now (guard update calls it). */
export async function rebuildHeld(request: RebuildRequest, store = EXTENSION_STORE): Promise<RebuildOutcome[]> {
  const outcomes: RebuildOutcome[] = [];
  for (const held of await listHeld(store)) {
    try {
      outcomes.push({ name: held.name, result: await rebuildExtension(held.name, request, store) });
    } catch (error) {
      outcomes.push({ name: held.name, error: describeError(error) });
    }
  }
  return outcomes;
}
