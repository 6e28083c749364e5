/**
 * `guard extend`: packages into a system extension instead of onto the
 * base. In order, each step able to stop everything before the next:
 *   resolve (private sync databases) → download (pacman -Sw) → extract
 *   (bsdtar, into a work directory beside the store) → refuse clashes →
 *   write extension-release and provenance → rename into the store →
 *   systemd-sysext refresh with the database locked → check the extension
 *   is merged, or put everything back.
 * Nothing reaches the store or the merged system unless every step worked.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import { machine } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { refresh } from '../lock/lifecycle.js';
import { serialized } from '../lock/serialize.js';
import { refuseDuringUpdate } from '../lock/update-gate.js';
import { readPacmanConfig, type PacmanConfig } from '../system/pacman-conf.js';
import { extensionHierarchies } from '../system/sysext.js';
import { currentMergeState, isExtensionMerged, type MergeState } from '../system/merge-state.js';
import { baseEntries } from '../system/view.js';
import { VERSION } from '../version.js';
import { HOOK_NAME, SYSTEM_HOOK_DIRECTORY } from '../install/hook-file.js';
import { parseAlpmHook, triggeredHooks, type AlpmHook } from './alpm-hooks.js';
import { baseDependents, baseOwners, conflictsBetweenPackages, conflictsWithSystem, describeConflict, extensionOwners, inspectExisting, type Conflict } from './conflicts.js';
import { clashAdvice, type ClashRequest } from './clash-advice.js';
import { localPackageName } from '../pacman/local-entry.js';
import { scriptletFunctions, summarizeDropped } from './contents.js';
import { listTree } from './extract.js';
import { moveHierarchies, unpackPackage, type UnpackedPackage } from './unpack.js';
import { writeLocalEntry } from './local-entries.js';
import { extensionReleaseFields, parseOsRelease, renderExtensionRelease } from './release.js';
import { fetchPackages, openResolver, refreshSyncDatabases, resolveTargets, type ResolvedPackage } from './resolve.js';
import { commandLine } from '../policy/refusal.js';
import {
  EXTENSION_STORE, OTHER_EXTENSION_DIRECTORIES, createWorkDirectory, dropHeld, extensionReleasePath, listHeld, listStore, readProvenance, nameTakenElsewhere, notOurs, provenancePath,
  removeWorkDirectory, swapIn, takeOut, validExtensionName, type NotCarried, type Provenance, type ProvenancePackage,
} from '../system/extension-store.js';


export interface ExtendRequest {
  /** Package names (pacman -S) and package files (pacman -U). */
  readonly targets: readonly string[];
  readonly name?: string;
  /** Refresh the private copy of the sync databases first (pacman -Sy). */
  readonly refreshDatabases?: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly realPacman: string;
  /** The named targets are dependencies of something (pacman -S --asdeps): their entries say so. */
  readonly asDependencies?: boolean;
  /** Named targets to record as dependencies (installed for something else) though named: what a rebuild keeps after a removal. */
  readonly dependencies?: readonly string[];
  /** Progress lines (`:: …`). */
  readonly progress: (line: string) => void;
  /**
   * Asked once the packages are known, before anything is downloaded: false
   * stops here with nothing changed (DeclinedError), as pacman's "Proceed
   * with installation? [Y/n]" does.
   */
  readonly confirm?: (plan: ExtendPlan) => boolean | Promise<boolean>;
}

/** What an extension would be built from, for the question before it is. */
export interface ExtendPlan {
  readonly name: string;
  readonly packages: readonly ResolvedPackage[];
  /** An extension of that name exists and is rebuilt. */
  readonly replaces: boolean;
}

/** The user answered no: nothing was changed; exit 1 without a message, as pacman does. */
export class DeclinedError extends GuardError {
  readonly declined = true;
  constructor() {
    super('declined', { exitCode: ExitCode.Failure });
  }
}

export function isDeclined(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { declined?: unknown }).declined === true;
}

export interface ExtendResult {
  readonly provenance: Provenance;
  readonly replaced: boolean;
  readonly path: string;
  /** The extension-release fields it is not tied to, and why. */
  readonly releaseNotes: readonly string[];
}

/** Pure: which targets are package files (pacman -U) rather than names (pacman -S). */
export function isPackageFile(target: string): boolean {
  return /\.pkg\.tar(\.[a-z0-9]+)?$/.test(target) || /^[a-z]+:\/\//.test(target);
}

export async function readOsRelease(): Promise<Map<string, string>> {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return parseOsRelease(await readFile(path, 'utf8'));
    } catch {
      // Try the next, as os-release(5) says.
    }
  }
  throw new GuardError('cannot read os-release (/etc/os-release, /usr/lib/os-release): the extension could not be matched to this system');
}

async function readHooks(config: PacmanConfig): Promise<AlpmHook[]> {
  const hooks: AlpmHook[] = [];
  for (const directory of [SYSTEM_HOOK_DIRECTORY, ...config.hookDirs]) {
    let names: string[];
    try {
      names = (await readdir(directory)).filter((name) => name.endsWith('.hook')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(directory, name);
      // A link to /dev/null masks a hook of the same name (alpm-hooks(5)).
      if ((await realpath(path).catch(() => path)) === '/dev/null') {
        hooks.push({ name, triggers: [] });
        continue;
      }
      const hook = parseAlpmHook(name, await readFile(path, 'utf8').catch(() => ''));
      if (hook) hooks.push(hook);
    }
  }
  return hooks;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function conflictError(conflicts: readonly Conflict[], advice: readonly string[]): GuardError {
  const shown = conflicts.slice(0, 20).map((conflict) => `  ${describeConflict(conflict)}`);
  if (conflicts.length > 20) shown.push(`  … and ${conflicts.length - 20} more`);
  return new GuardError(`refusing to build the extension: ${conflicts.length} ${conflicts.length === 1 ? 'file' : 'files'} would silently shadow existing ones`, {
    exitCode: ExitCode.Refused,
    hints: [...shown, ...advice],
  });
}

/** Packages the other extensions of the store already carry: pacman treats them as installed. */
async function carriedElsewhere(store: string, except: string): Promise<string[]> {
  return (await listStore(store))
    .filter((extension) => extension.name !== except)
    .flatMap((extension) => extension.provenance?.packages.map((entry) => `${entry.name}=${entry.version}`) ?? []);
}


/** Refreshes and checks that `name` is (or, for a removal, is no longer) merged; systemd-sysext exits 0 even when it skips one. */
async function refreshExpecting(dbPath: string, name: string, merged: boolean): Promise<void> {
  await refresh(dbPath);
  if (isExtensionMerged(currentMergeState(), 'sysext', name) !== merged) {
    throw new GuardError(merged
      ? `systemd-sysext did not merge extension ${name}: its extension-release does not match this system (run: SYSTEMD_LOG_LEVEL=debug systemd-sysext refresh)`
      : `extension ${name} is still merged after systemd-sysext refresh`);
  }
}

export async function extend(request: ExtendRequest, store = EXTENSION_STORE): Promise<ExtendResult> {
  if (request.targets.length === 0) throw new GuardError('no targets specified', { exitCode: ExitCode.Usage, hints: ["  run 'guard extend --help' for usage"] });
  if (process.getuid?.() !== 0) throw new GuardError('you cannot perform this operation unless you are root.', { exitCode: ExitCode.Failure });
  refuseDuringUpdate('not extending');
  const config = await readPacmanConfig();
  const hierarchies = extensionHierarchies(request.env, 'sysext');
  const files = request.targets.filter(isPackageFile).map((target) => (/^[a-z]+:\/\//.test(target) ? target : resolvePath(target)));
  const names = request.targets.filter((target) => !isPackageFile(target));
  const releaseFields = extensionReleaseFields(await readOsRelease(), machine());
  await mkdir(store, { recursive: true, mode: 0o755 });

  return serialized(async () => {
    const resolver = await openResolver(request.realPacman, config.dbPath);
    let work: string | undefined;
    try {
      if (request.refreshDatabases) {
        request.progress('Synchronizing a private copy of the package databases...');
        await refreshSyncDatabases(resolver);
      }
      request.progress('Resolving packages...');
      const provisional = await resolveTargets(resolver, names, files);
      const name = request.name ?? provisional.find((entry) => entry.explicit)?.name ?? provisional[0]?.name;
      if (!name || !validExtensionName(name)) {
        throw new GuardError(`invalid extension name '${name ?? ''}'`, { exitCode: ExitCode.Usage, hints: ['  use --name with letters, digits and _ . + @ -'] });
      }
      const elsewhere = await nameTakenElsewhere(name, store);
      if (elsewhere) throw new GuardError(`an extension named ${name} already exists in ${elsewhere}`, { exitCode: ExitCode.Usage, hints: ['  choose another name with --name'] });
      const previous = (await listStore(store)).find((extension) => extension.name === name);
      if (previous && !previous.provenance) throw notOurs(name, previous.path);
      // With what other extensions carry counted as installed, resolve again.
      const assumed = await carriedElsewhere(store, name);
      const resolved = assumed.length > 0 ? await resolveTargets(resolver, names, files, assumed) : provisional;
      const asDependency = new Set(request.dependencies ?? []);
      const packages = resolved.map((entry) => (entry.explicit && asDependency.has(entry.name) ? { ...entry, explicit: false } : entry));

      const installed = new Set((await baseEntries(config.dbPath)).map(localPackageName));
      const inBase = packages.filter((entry) => installed.has(entry.name));
      if (inBase.length > 0) {
        throw new GuardError(`${inBase.map((entry) => entry.name).join(', ')} ${inBase.length === 1 ? 'is' : 'are'} installed on the base system; an extension cannot replace base packages`, {
          exitCode: ExitCode.Refused,
          hints: ['  to change it on the base, use the maintenance window:', `    ${commandLine('guard', ['update', '-S', ...inBase.map((entry) => entry.name)])}`],
        });
      }

      if (request.confirm && !(await request.confirm({ name, packages, replaces: previous !== undefined }))) throw new DeclinedError();
      request.progress(`Retrieving ${packages.length} package(s): ${packages.map((entry) => `${entry.name}-${entry.version}`).join(' ')}`);
      const packageFiles = await fetchPackages(resolver, packages, config.cacheDirs);

      work = await createWorkDirectory(store, name);
      const tree = join(work, 'tree');
      await mkdir(tree, { mode: 0o755 });
      request.progress('Extracting packages...');
      const carried = new Map<string, string[]>();
      const notCarried: { files: Record<string, string[]>; scriptlets: Record<string, string[]>; hooks: string[]; sysusers: Record<string, string[]> } = { files: {}, scriptlets: {}, hooks: [], sysusers: {} };
      const allPaths: string[] = [];
      const provenancePackages: ProvenancePackage[] = [];
      const unpacked = new Map<string, UnpackedPackage>();
      for (const entry of packages) {
        const file = packageFiles.get(entry.name)!;
        const unpackedPackage = await unpackPackage(file, join(work, 'packages', entry.name), hierarchies);
        unpacked.set(entry.name, unpackedPackage);
        const { contents, pkgInfo, install, paths } = unpackedPackage;
        carried.set(entry.name, [...contents.carried]);
        allPaths.push(...paths);
        const dropped = summarizeDropped(contents.dropped);
        if (dropped.length > 0) notCarried.files[entry.name] = dropped.map((path) => `/${path}`);
        if (contents.sysusers.length > 0) notCarried.sysusers[entry.name] = contents.sysusers.map((path) => `/${path}`);
        if (install !== undefined) notCarried.scriptlets[entry.name] = scriptletFunctions(install);
        provenancePackages.push({
          name: entry.name,
          version: pkgInfo.get('pkgver')?.[0] ?? entry.version,
          repository: entry.repository,
          file,
          sha256: await sha256(file),
          explicit: entry.explicit,
        });
      }

      const clashRequest = (dependents: ClashRequest['dependents'] = new Map()): ClashRequest => ({
        targets: request.targets, names, files, dependents, ...(request.name !== undefined ? { name: request.name } : {}),
      });
      const between = conflictsBetweenPackages(carried);
      if (between.length > 0) throw conflictError(between, clashAdvice(between, clashRequest()));
      const everyCarried = new Set([...carried.values()].flat());
      const existing = await inspectExisting(everyCarried);
      const ownPrevious = new Set(previous ? (await listTree(previous.path)).filter((path) => !path.endsWith('/')) : []);
      // Who owns what is in the way: named in the refusal, and the test for a rebuild's own old files.
      const inTheWay = new Set([...existing].filter(([, kind]) => kind === 'other').map(([path]) => path));
      const owners = await baseOwners(config.dbPath, inTheWay);
      const mergeState = currentMergeState();
      const withSystem = conflictsWithSystem(carried, existing, {
        ownPrevious,
        baseOwners: owners,
        extensionOwners: await extensionOwners(new Set([...inTheWay].filter((path) => !owners.has(path))),
          OTHER_EXTENSION_DIRECTORIES.map((directory) => (directory === EXTENSION_STORE ? store : directory)),
          (candidate) => isExtensionMerged(mergeState, 'sysext', candidate), name),
      });
      if (withSystem.length > 0) {
        const inBase = new Set(withSystem.flatMap((conflict) => (conflict.owner.kind === 'base' ? [conflict.owner.name] : [])));
        throw conflictError(withSystem, clashAdvice(withSystem, clashRequest(await baseDependents(config.dbPath, inBase))));
      }

      // The guard's own hook triggers on everything and is no loss to an extension.
      const hooks = triggeredHooks((await readHooks(config)).filter((hook) => hook.name !== HOOK_NAME), packages.map((entry) => entry.name), allPaths);
      notCarried.hooks.push(...hooks.map((hook) => `${hook.name}: ${hook.description ?? hook.exec}`));

      for (const entry of unpacked.values()) await moveHierarchies(entry, tree, hierarchies);
      // What pacman sees while the extension is merged: its packages, as installed ones.
      const installDate = Math.floor(Date.now() / 1000);
      for (const entry of packages) {
        await writeLocalEntry(tree, unpacked.get(entry.name)!, carried.get(entry.name)!, {
          installDate,
          reason: entry.explicit && !request.asDependencies ? 0 : 1,
          // pacman -Sw checked a repository package against its database's checksum; a file given to -U, nothing.
          validation: entry.repository === 'local' ? ['none'] : ['sha256'],
        });
      }
      const provenance: Provenance = {
        name,
        builtBy: `pacman-guard ${VERSION}`,
        built: new Date().toISOString(),
        extensionRelease: Object.fromEntries(releaseFields.fields),
        packages: provenancePackages,
        notCarried: notCarried as NotCarried,
      };
      await mkdir(join(tree, 'usr/lib/extension-release.d'), { recursive: true, mode: 0o755 });
      await mkdir(join(tree, provenancePath(name), '..'), { recursive: true, mode: 0o755 });
      await writeFile(join(tree, provenancePath(name)), `${JSON.stringify(provenance, null, 2)}\n`, { mode: 0o644 });
      await writeFile(join(tree, extensionReleasePath(name)), renderExtensionRelease(releaseFields.fields), { mode: 0o644 });

      request.progress(`Merging extension ${name}...`);
      const swap = await swapIn(store, name, tree, work);
      try {
        await refreshExpecting(config.dbPath, name, true);
      } catch (error) {
        await swap.rollback();
        await refresh(config.dbPath).catch(() => undefined);
        throw error;
      }
      // The new one is merged: a held copy of the same name (src/fit/check.ts) is not needed any more.
      await dropHeld(store, name);
      return { provenance, replaced: swap.hadPrevious, path: join(store, name), releaseNotes: releaseFields.notes };
    } finally {
      if (work) await removeWorkDirectory(work);
      await resolver.dispose();
    }
  }, { lockName: 'extensions', waitMs: 600_000 });
}

/** `guard extend --remove NAME`: the rollback. */
export async function removeExtension(name: string, store = EXTENSION_STORE): Promise<void> {
  if (process.getuid?.() !== 0) throw new GuardError('you cannot perform this operation unless you are root.', { exitCode: ExitCode.Failure });
  refuseDuringUpdate('not removing an extension');
  const config = await readPacmanConfig();
  await serialized(async () => {
    const extension = (await listStore(store)).find((candidate) => candidate.name === name);
    // One guard update took out of use is not merged: deleting it is all there is to do.
    if (!extension && (await listHeld(store)).some((held) => held.name === name)) {
      await dropHeld(store, name);
      return;
    }
    if (!extension) throw new GuardError(`extension ${name} not found in ${store}`, { exitCode: ExitCode.Usage, hints: ['  list them with: guard extend --list'] });
    if (!extension.provenance) throw notOurs(name, extension.path);
    const work = await createWorkDirectory(store, name);
    try {
      const taken = await takeOut(store, name, work);
      try {
        await refreshExpecting(config.dbPath, name, false);
      } catch (error) {
        await taken.rollback();
        await refresh(config.dbPath).catch(() => undefined);
        throw error;
      }
    } finally {
      await removeWorkDirectory(work);
    }
  }, { lockName: 'extensions', waitMs: 600_000 });
}

export interface ListedExtension {
  readonly name: string;
  readonly path: string;
  readonly merged: boolean;
  readonly provenance?: Provenance;
  /** Why guard update took it out of use, when it did. */
  readonly held?: string;
}

export async function listExtensions(store = EXTENSION_STORE): Promise<ListedExtension[]> {
  let merged: MergeState;
  try {
    merged = currentMergeState();
  } catch (error) {
    throw new GuardError(`cannot tell which extensions are merged: ${describeError(error)}`, { exitCode: ExitCode.StateUnknown });
  }
  const held = await listHeld(store);
  return [
    ...(await listStore(store)).map((extension) => ({ ...extension, merged: isExtensionMerged(merged, 'sysext', extension.name) })),
    ...(await Promise.all(held.map(async (extension) => {
      const provenance = await readProvenance(extension.path, extension.name).catch(() => undefined);
      return { name: extension.name, path: extension.path, merged: false, held: extension.reason, ...(provenance ? { provenance } : {}) };
    }))),
  ];
}
