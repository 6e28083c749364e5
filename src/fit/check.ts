/**
 * The fit, checked before every merge (guard merge, refresh, settle, fit at
 * boot, and so guard update and its --finish, which merge through them):
 * every extension guard extend built must fit the base it is about to be
 * merged over. pacman decides, as `pacman -Dk` on the base's package entries
 * plus the extensions' (a private DBPath of links; the real one is never
 * touched): a dependency the base no longer satisfies, a conflict, a file
 * the base has too. An extension that does not fit is held (moved to
 * .pacman-guard-held, which systemd-sysext ignores) with the reason.
 *
 * Only when the stamp (src/fit/state.ts) differs from the one recorded at
 * the last check: an ordinary merge pays a readdir and a hash. A check that
 * cannot run fails closed: each extension it could not judge is held, with
 * why; the merge of the others goes on.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import { EXTENSION_STORE, holdExtension, listHeld, listStore, provenancePath, type HeldExtension, type StoredExtension } from '../system/extension-store.js';
import { localPackageName, parseDesc } from '../pacman/local-entry.js';
import { DEFAULT_REAL_PACMAN } from '../system/pacman-version.js';
import { ToolError, runTool } from '../system/run-tool.js';
import { currentMergeState, mergedNames } from '../system/merge-state.js';
import { ENTRIES_IN_EXTENSION, baseEntries } from '../system/view.js';
import { alsoOnBase, dependencyName, parseDatabaseCheck, unfitExtensions, type FitFacts } from './reasons.js';
import { FIT_STATE, fitStamp, readFitStamp, writeFitStamp } from './state.js';
import { BOOT_LOCK_TOKEN, bootSnapshot, recordBootToken } from './boot-token.js';

export interface FitOptions {
  readonly dbPath: string;
  readonly store?: string;
  readonly stateFile?: string;
  /** The real pacman (PACMAN_GUARD_REAL_PACMAN, else /usr/bin/pacman). */
  readonly pacman?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** One line per extension held now. */
  readonly warn?: (line: string) => void;
  /** The boot lock's token (boot-token.ts); by default written only with the default store and state. */
  readonly bootToken?: string | false;
}

export interface FitOutcome {
  /** False: the stamp was the recorded one, nothing was checked. */
  readonly checked: boolean;
  /** The guard-built extensions judged (when checked). */
  readonly judged: readonly string[];
  /** Extensions held by this call. */
  readonly held: readonly HeldExtension[];
  /** Held extensions (now or before) that are still merged: a refresh must take them out. */
  readonly heldButMerged: readonly string[];
}

const pacmanOf = (options: FitOptions) => options.pacman ?? options.env?.PACMAN_GUARD_REAL_PACMAN ?? process.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN;

/** Checks when the stamp differs, holds what does not fit, records the new stamp. */
export async function holdUnfitExtensions(options: FitOptions): Promise<FitOutcome> {
  const store = options.store ?? EXTENSION_STORE;
  const stateFile = options.stateFile ?? FIT_STATE;
  const tokenFile = options.bootToken ?? (options.store === undefined && options.stateFile === undefined ? BOOT_LOCK_TOKEN : false);
  // What the boot lock may take as known afterwards: identities taken before anything is read.
  const before = tokenFile ? await bootSnapshot(options.dbPath, store) : undefined;
  const extensions = (await listStore(store)).filter((extension) => extension.provenance);
  // Unknown (unreadable) base: every extension is checked, and fails closed.
  const base = extensions.length > 0 ? await baseEntries(options.dbPath).catch((error: unknown) => error as Error) : [];
  const held: HeldExtension[] = [];
  let checked = false;
  if (extensions.length > 0 && (base instanceof Error || fitStamp(base, extensions) !== readFitStamp(stateFile))) {
    checked = true;
    let verdicts: Map<string, string[]>;
    try {
      if (base instanceof Error) throw base;
      verdicts = await judge(extensions, base, options);
    } catch (error) {
      // Fail closed: what could not be judged is not merged.
      verdicts = new Map(extensions.map((extension) => [extension.name, [`its fit to the base cannot be checked: ${describeError(error)}`]]));
    }
    for (const [name, reasons] of verdicts) {
      const extension = await holdExtension(store, name, reasons.join('; '));
      held.push(extension);
      options.warn?.(`extension ${name} is held, not merged: ${extension.reason}`);
    }
    const kept = extensions.filter((extension) => !verdicts.has(extension.name));
    if (!(base instanceof Error)) writeFitStamp(fitStamp(base, kept), stateFile);
  }
  // Every built extension fits now, or is held: a boot over the same identities has nothing to judge.
  if (tokenFile && before && !(base instanceof Error)) recordBootToken(before, extensions.map((extension) => join(extension.path, provenancePath(extension.name))), tokenFile);
  return { checked, judged: checked ? extensions.map((extension) => extension.name) : [], held, heldButMerged: await heldButMerged(store) };
}

/** Held extensions systemd-sysext still has merged (held while merged, or merged by a plain systemd-sysext). */
async function heldButMerged(store: string): Promise<string[]> {
  const held = await listHeld(store);
  if (held.length === 0) return [];
  let merged: Set<string>;
  try {
    merged = new Set(mergedNames(currentMergeState(), 'sysext'));
  } catch {
    return held.map((extension) => extension.name);
  }
  return held.map((extension) => extension.name).filter((name) => merged.has(name));
}

/** Each extension's package entries (NAME-VERSION directories), read from its tree in the store. */
async function carriedEntries(extension: StoredExtension): Promise<string[]> {
  return (await readdir(join(extension.path, ENTRIES_IN_EXTENSION)).catch(() => [] as string[])).sort();
}

/**
 * extension → reasons, for those that do not fit. pacman -Dk runs over the
 * base and the extensions together (one may need what another carries);
 * when some do not fit it runs again without them, since what depends on
 * them does not fit either.
 */
async function judge(extensions: readonly StoredExtension[], base: readonly string[], options: FitOptions): Promise<Map<string, string[]>> {
  const baseVersions = new Map(base.map((entry) => [localPackageName(entry), entry.slice(localPackageName(entry).length + 1)] as const).filter(([name]) => name !== ''));
  const carried = new Map<string, { extension: string; version: string; entry: string; path: string }>();
  for (const extension of extensions) {
    for (const entry of await carriedEntries(extension)) {
      const name = localPackageName(entry);
      if (!carried.has(name)) carried.set(name, { extension: extension.name, version: entry.slice(name.length + 1), entry, path: join(extension.path, ENTRIES_IN_EXTENSION, entry) });
    }
  }
  const facts: FitFacts = { base: baseVersions, carried };
  const verdicts = alsoOnBase(facts);
  const privateDb = await mkdtemp(join(tmpdir(), 'pacman-guard-fit-'));
  try {
    const local = join(privateDb, 'local');
    await symlinkAll(local, base.map((entry) => [entry, join(options.dbPath, 'local', entry)]));
    if (!base.includes('ALPM_DB_VERSION')) await writeFile(join(local, 'ALPM_DB_VERSION'), '9\n');
    const linked = new Map<string, string[]>();
    for (const [name, item] of carried) {
      if (verdicts.has(item.extension) || baseVersions.has(name)) continue;
      await symlink(item.path, join(local, item.entry));
      linked.set(item.extension, [...(linked.get(item.extension) ?? []), item.entry]);
    }
    let baseProvides: Map<string, string> | undefined;
    for (let round = 0; round <= extensions.length; round++) {
      const problems = await databaseProblems(privateDb, options);
      // Naming what the base provides instead reads every base entry: only when a dependency is missing.
      if (!baseProvides && problems.some((problem) => problem.kind === 'missing' && carried.has(problem.package) && !baseVersions.has(dependencyName(problem.dependency)))) {
        baseProvides = await providesOnBase(options.dbPath, base);
      }
      const unfit = unfitExtensions(problems, { ...facts, ...(baseProvides ? { baseProvides } : {}) });
      const fresh = [...unfit].filter(([name]) => !verdicts.has(name));
      if (fresh.length === 0) break;
      for (const [name, reasons] of fresh) {
        verdicts.set(name, reasons);
        for (const entry of linked.get(name) ?? []) await rm(join(local, entry), { force: true });
      }
    }
  } finally {
    await rm(privateDb, { recursive: true, force: true });
  }
  return verdicts;
}

async function symlinkAll(directory: string, links: readonly (readonly [string, string])[]): Promise<void> {
  await mkdir(directory, { recursive: true });
  await Promise.all(links.map(([name, target]) => symlink(target, join(directory, name))));
}

async function databaseProblems(privateDb: string, options: FitOptions) {
  let output: string;
  try {
    const result = await runTool(pacmanOf(options), ['-Dk', '--dbpath', privateDb, '--color', 'never'], { timeoutMs: 300_000 });
    output = `${result.stdout}\n${result.stderr}`;
  } catch (error) {
    // pacman -Dk exits 1 (or more) when it finds problems: its report is on stderr.
    if (!(error instanceof ToolError) || typeof error.code !== 'number') throw error;
    output = error.stderr;
  }
  const { problems, unknown } = parseDatabaseCheck(output);
  if (unknown.length > 0) throw new Error(`pacman -Dk said what the guard cannot judge: ${unknown.slice(0, 3).join('; ')}`);
  return problems;
}

/** What base packages provide under another name, to name it in a reason. */
async function providesOnBase(dbPath: string, base: readonly string[]): Promise<Map<string, string>> {
  const provides = new Map<string, string>();
  for (const entry of base) {
    const text = await readFile(join(dbPath, 'local', entry, 'desc'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const desc = parseDesc(text, entry);
      for (const provision of desc.provides) provides.set(dependencyName(provision), `${provision} (${desc.name} ${desc.version})`);
    } catch {
      // An entry that does not parse provides nothing to name; pacman judged it all the same.
    }
  }
  return provides;
}

/**
 * For the lifecycle (src/lock/lifecycle.ts), right after it locked the
 * database: the fit, with its options. True when a held extension is still
 * merged, so that a refresh must take it out.
 */
export async function fitBeforeMerge(dbPath: string, options: { env?: NodeJS.ProcessEnv; warn?: (line: string) => void } = {}): Promise<boolean> {
  const outcome = await holdUnfitExtensions({ dbPath, ...(options.env ? { env: options.env } : {}), ...(options.warn ? { warn: options.warn } : {}) });
  // Once per name and process: if a refresh could not take it out (another extension of that name elsewhere), asking again would loop.
  const fresh = outcome.heldButMerged.filter((name) => !takenOut.has(name));
  for (const name of fresh) takenOut.add(name);
  return fresh.length > 0;
}

/** Held extensions this process already asked a refresh to take out. */
const takenOut = new Set<string>();
