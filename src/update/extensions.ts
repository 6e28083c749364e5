/**
 * After the base changed: every guard-built extension is checked against it
 * (extensionFit), those that no longer fit are taken out of use before
 * anything merges, and those a rebuild can mend are rebuilt with guard
 * extend's machinery. A held extension is never merged over a base it no
 * longer fits; its old tree is kept until a new one merges.
 */
import { describeError } from '../errors.js';
import { baseOwners } from '../extend/conflicts.js';
import { localPackageName } from '../pacman/local-entry.js';
import { listTree } from '../extend/extract.js';
import { openResolver, resolveTargets } from '../extend/resolve.js';
import { rebuildTargets as targetsOf } from '../extend/rebuild.js';
import { extensionReleasePath, holdExtension, listStore, provenancePath, type StoredExtension } from '../system/extension-store.js';
import { extensionFit, type Fit } from './fit.js';
import { baseEntries, ENTRIES_IN_EXTENSION } from '../system/view.js';

export interface ExtensionCheck {
  readonly name: string;
  /** Undefined: not built by guard extend, so not checked. */
  readonly fit?: Fit;
  /** What guard extend builds it from again. */
  readonly targets: readonly string[];
}

/** The base's packages from pacman's local database: name → version. */
export async function basePackages(dbPath: string): Promise<Map<string, string>> {
  const packages = new Map<string, string>();
  for (const directory of await baseEntries(dbPath)) {
    const name = localPackageName(directory);
    if (name) packages.set(name, directory.slice(name.length + 1));
  }
  return packages;
}

/** The guard's own files in an extension, which the base can never have. */
const ownFiles = (name: string) => new Set([extensionReleasePath(name), provenancePath(name)]);

/**
 * The files it carries that a package of the base has too. Judged from the
 * base's own file lists in pacman's local database, beneath the merge: the
 * merged /usr shows the extension's own files, which must never count as the
 * base's (a merged extension would be judged shadowed by itself).
 */
async function shadowedFiles(extension: StoredExtension, dbPath: string): Promise<string[]> {
  const own = ownFiles(extension.name);
  const files = (await listTree(extension.path)).filter((path) => !path.endsWith('/') && !own.has(path) && !path.startsWith(`${ENTRIES_IN_EXTENSION}/`));
  const owners = await baseOwners(dbPath, new Set(files));
  return files.filter((path) => owners.has(path));
}

/** The targets to build it from again (one rule: src/extend/rebuild.ts). */
export const rebuildTargets = (extension: StoredExtension): string[] => targetsOf(extension.provenance);

/** Checks every extension in the store against the base as it is now (unmerged). */
export async function checkExtensions(options: { store: string; dbPath: string; pacman: string }): Promise<ExtensionCheck[]> {
  const extensions = await listStore(options.store);
  if (extensions.every((extension) => !extension.provenance)) return extensions.map(({ name }) => ({ name, targets: [] }));
  const base = await basePackages(options.dbPath);
  const resolver = await openResolver(options.pacman, options.dbPath);
  try {
    const checks: ExtensionCheck[] = [];
    for (const extension of extensions) {
      const provenance = extension.provenance;
      if (!provenance) {
        checks.push({ name: extension.name, targets: [] });
        continue;
      }
      const others = extensions.filter((other) => other !== extension)
        .flatMap((other) => other.provenance?.packages.map((entry) => `${entry.name}=${entry.version}`) ?? []);
      const explicit = provenance.packages.filter((entry) => entry.explicit);
      const names = explicit.filter((entry) => entry.repository !== 'local' && !base.has(entry.name)).map((entry) => entry.name);
      const files = explicit.filter((entry) => entry.repository === 'local' && !base.has(entry.name)).map((entry) => entry.file);
      const resolved = await resolveTargets(resolver, names, files, others).catch((error: unknown) => ({ error: describeError(error) }));
      checks.push({
        name: extension.name,
        targets: rebuildTargets(extension),
        fit: extensionFit({ carried: provenance.packages, base, resolved, shadowed: await shadowedFiles(extension, options.dbPath) }),
      });
    }
    return checks;
  } finally {
    await resolver.dispose();
  }
}

/** Takes the extensions that do not fit out of the store, so that no merge picks them up. */
export async function holdUnfit(store: string, checks: readonly ExtensionCheck[]): Promise<void> {
  for (const check of checks) {
    if (check.fit && check.fit.kind !== 'fits') {
      await holdExtension(store, check.name, check.fit.kind === 'hold' ? check.fit.reason : `needs a rebuild: ${check.fit.reasons.join('; ')}`);
    }
  }
}
