/**
 * What `pacman -R` of some packages means on a system with guard-built
 * extensions: a package an extension was built for goes by rebuilding that
 * extension without it (or removing the extension it would leave empty); a
 * base package goes in guard update's maintenance window. Pure: the caller
 * brings the store and the base's package names.
 */
import type { StoredExtension } from '../system/extension-store.js';

export type RemovalStep =
  | { readonly extension: string; readonly action: 'remove' }
  | {
    readonly extension: string;
    readonly action: 'rebuild';
    readonly targets: readonly string[];
    /** Of the targets, those that stay as dependencies (pacman -R leaves them installed, as orphans when nothing needs them). */
    readonly dependencies?: readonly string[];
    /** The packages taken out. */
    readonly removed?: readonly string[];
  };

export type RemovalPlan =
  /** Every target is a package an extension was built for. */
  | { readonly kind: 'extensions'; readonly steps: readonly RemovalStep[] }
  /** Every target is a base package. */
  | { readonly kind: 'base' }
  /** A target only an extension carries as a dependency: removing it would break that extension. */
  | { readonly kind: 'dependency'; readonly target: string; readonly extension: string; readonly neededBy: readonly string[] }
  /** Some targets are in extensions, some in the base: two different changes. */
  | { readonly kind: 'mixed'; readonly inExtensions: readonly string[]; readonly inBase: readonly string[] }
  /** Targets nobody has, as pacman would say. */
  | { readonly kind: 'not found'; readonly targets: readonly string[] };

/**
 * Where each target is: the plans that end there (a target nobody has, all
 * on the base, some on each), or the guard-built extensions and the targets
 * they carry.
 */
function sortTargets(targets: readonly string[], extensions: readonly StoredExtension[], base: ReadonlySet<string>):
  Exclude<RemovalPlan, { kind: 'extensions' | 'dependency' }> | { readonly kind: 'in extensions'; readonly built: readonly StoredExtension[]; readonly inExtensions: readonly string[] } {
  const built = extensions.filter((extension) => extension.provenance);
  const carried = (name: string) => built.some((extension) => extension.provenance!.packages.some((entry) => entry.name === name));
  const inBase = targets.filter((name) => base.has(name));
  const inExtensions = targets.filter((name) => !base.has(name) && carried(name));
  const missing = targets.filter((name) => !base.has(name) && !carried(name));
  if (missing.length > 0) return { kind: 'not found', targets: missing };
  if (inExtensions.length === 0) return { kind: 'base' };
  if (inBase.length > 0) return { kind: 'mixed', inExtensions, inBase };
  return { kind: 'in extensions', built, inExtensions };
}

export function planRemoval(targets: readonly string[], extensions: readonly StoredExtension[], base: ReadonlySet<string>): RemovalPlan {
  const sorted = sortTargets(targets, extensions, base);
  if (sorted.kind !== 'in extensions') return sorted;
  const { built, inExtensions } = sorted;
  const removed = new Set(inExtensions);
  const steps: RemovalStep[] = [];
  for (const extension of built) {
    const packages = extension.provenance!.packages;
    if (!packages.some((entry) => removed.has(entry.name))) continue;
    const dependency = packages.find((entry) => removed.has(entry.name) && !entry.explicit);
    if (dependency) {
      const neededBy = packages.filter((entry) => entry.explicit && !removed.has(entry.name)).map((entry) => entry.name);
      if (neededBy.length > 0) return { kind: 'dependency', target: dependency.name, extension: extension.name, neededBy };
    }
    const remaining = packages.filter((entry) => entry.explicit && !removed.has(entry.name)).map((entry) => (entry.repository === 'local' ? entry.file : entry.name));
    steps.push(remaining.length === 0 ? { extension: extension.name, action: 'remove' } : { extension: extension.name, action: 'rebuild', targets: remaining });
  }
  return { kind: 'extensions', steps };
}

/**
 * The plan for exactly the packages pacman would remove (`pacman -R… --print`
 * with the user's own options decides: -s, -c, -u, -n and the dependency
 * checks are pacman's): each extension loses those of its packages, keeps
 * the rest with their install reason (a dependency pacman -R leaves behind
 * stays, an orphan in its extension), and is removed when nothing is left.
 */
export function planRemovalOf(removed: readonly string[], extensions: readonly StoredExtension[], base: ReadonlySet<string>): RemovalPlan {
  const sorted = sortTargets(removed, extensions, base);
  if (sorted.kind !== 'in extensions') return sorted;
  const { built, inExtensions } = sorted;
  const gone = new Set(inExtensions);
  const steps: RemovalStep[] = [];
  for (const extension of built) {
    const packages = extension.provenance!.packages;
    const taken = packages.filter((entry) => gone.has(entry.name)).map((entry) => entry.name);
    if (taken.length === 0) continue;
    const kept = packages.filter((entry) => !gone.has(entry.name));
    if (kept.length === 0) {
      steps.push({ extension: extension.name, action: 'remove' });
      continue;
    }
    const dependencies = kept.filter((entry) => !entry.explicit).map((entry) => entry.name);
    steps.push({
      extension: extension.name,
      action: 'rebuild',
      targets: kept.map((entry) => (entry.repository === 'local' ? entry.file : entry.name)),
      ...(dependencies.length > 0 ? { dependencies } : {}),
      removed: taken,
    });
  }
  return { kind: 'extensions', steps };
}

/** The guard commands that carry out the steps. */
export function removalCommands(steps: readonly RemovalStep[]): string[][] {
  return steps.map((step) => (step.action === 'remove'
    ? ['guard', 'extend', '--remove', step.extension]
    : ['guard', 'extend', '--name', step.extension, ...step.targets]));
}
