/**
 * Which database a pacman command line locks and which root it writes into,
 * worked out the way each pacman build works it out. Pure: the answers that
 * only the filesystem has (where a path leads, what a pacman.conf says) come
 * from the caller's `LocationLookup`; this module only knows the order in
 * which pacman asks them, and that order differs between builds:
 *
 * - 6.0: main() chroot()s into --sysroot and chdir("/")s, before it reads the
 *   configuration, so every path (relative ones from `/`, absolute symlinks,
 *   `..`) resolves inside the sysroot; chroot("") fails (ENOENT).
 * - 7.0: no chroot. setdefaults() prefixes the sysroot to RootDir, DBPath and
 *   the config file as strings (prepend_dir: sysroot, "/" unless it ends in
 *   one, the path without its leading slashes), so `--sysroot ''` gives the
 *   plain absolute paths of this system, a relative sysroot is read from the
 *   working directory, `..` walks out of the sysroot, and an absolute symlink
 *   inside the guest leads to this system.
 * - 7.1: as 7.0, but parseargs() first realpath()s --sysroot, -r and -b (and
 *   the configuration's RootDir and DBPath) from the working directory and
 *   rejects what does not resolve ("failed to resolve path").
 * In every build libalpm's alpm_initialize() then realpath()s the root and
 * the database path (both must be existing directories, or pacman stops
 * before any lock) and takes `<dbpath>/db.lck`.
 */
import type { DatabasePart, PacmanCommand } from './model.js';
import type { PacmanVariant } from './options.js';

/** Where a path is resolved from: the process's root directory (a chroot) and working directory, both paths on this system. */
export interface PathContext {
  readonly root: string;
  readonly cwd: string;
}

export interface LocationLookup {
  /**
   * realpath(3) of `path` for a process whose root directory and working
   * directory are `context`'s, as a path on this system (the chroot
   * prefixed); undefined when a component is missing or loops, or (with
   * `directory`) when the path is no directory.
   */
  realpath(path: string, context: PathContext, directory?: boolean): string | undefined;
  /**
   * RootDir and DBPath as pacman computes them from a configuration file (a
   * path on this system) and the command line's root, before any sysroot:
   * pacman-conf's answer. Throws when the file cannot be read.
   */
  configuredPaths(configFile: string, root: string | undefined): Promise<{ readonly rootDir: string; readonly dbPath: string }>;
}

/** What pacman reaches: the database whose db.lck it takes and the root it installs into, as resolved paths on this system. */
export type Location =
  | {
    readonly kind: 'reached';
    readonly database: string;
    readonly root: string;
    /** The root directory pacman runs in: `/`, or 6.0's chroot, where paths under the database (local/, sync/) resolve. */
    readonly within: string;
  }
  /** pacman stops before it takes any lock (a failed chroot, an unresolvable path, a missing directory). */
  | { readonly kind: 'fails'; readonly why: string };

/** pacman's compiled-in configuration file (sysconfdir /etc, as Arch and Debian build it). */
export const PACMAN_CONF = '/etc/pacman.conf';

const HOST: Pick<PathContext, 'root'> = { root: '/' };

/** conf.c prepend_dir(). */
export function prependDir(dir: string, path: string): string {
  const separator = dir.endsWith('/') ? '' : '/';
  return `${dir}${separator}${path.replace(/^\/+/, '')}`;
}

export async function locate(
  command: Pick<PacmanCommand, 'paths'>,
  variant: PacmanVariant,
  cwd: string,
  lookup: LocationLookup,
): Promise<Location> {
  const { root, dbPath, config, sysroot } = command.paths;
  const fails = (why: string): Location => ({ kind: 'fails', why });
  const host: PathContext = { ...HOST, cwd };

  if (variant === '6.0') {
    let context = host;
    if (sysroot !== undefined) {
      // chroot(2) of the string as given, relative to the working directory, then chdir("/").
      if (sysroot === '') return fails("chroot to '' failed: No such file or directory");
      const jail = lookup.realpath(sysroot, host, true);
      if (jail === undefined) return fails(`chroot to '${sysroot}' failed`);
      context = { root: jail, cwd: '/' };
    }
    const configFile = lookup.realpath(config ?? PACMAN_CONF, context);
    if (configFile === undefined) return fails(`config file ${config ?? PACMAN_CONF} could not be read`);
    const configured = await lookup.configuredPaths(configFile, root);
    return reach(lookup, context, root ?? configured.rootDir, dbPath ?? configured.dbPath);
  }

  let resolvedSysroot = sysroot;
  let commandRoot = root;
  let commandDb = dbPath;
  if (variant !== '7.0') {
    // parseargs(): resolve_path() on --sysroot, -r and -b, in the order given; any failure rejects the line.
    for (const [option, value] of [['--sysroot', sysroot], ['--root', root], ['--dbpath', dbPath]] as const) {
      if (value !== undefined && lookup.realpath(value, host) === undefined) return fails(`failed to resolve path '${value}' passed to '${option}'`);
    }
    resolvedSysroot = sysroot === undefined ? undefined : lookup.realpath(sysroot, host);
    commandRoot = root === undefined ? undefined : lookup.realpath(root, host);
    commandDb = dbPath === undefined ? undefined : lookup.realpath(dbPath, host);
  }
  const prefixed = (path: string) => (resolvedSysroot === undefined ? path : prependDir(resolvedSysroot, path));
  const configFile = lookup.realpath(prefixed(config ?? PACMAN_CONF), host);
  if (configFile === undefined) return fails(`config file ${prefixed(config ?? PACMAN_CONF)} could not be read`);
  const configured = await lookup.configuredPaths(configFile, commandRoot);
  let rootDir = commandRoot ?? configured.rootDir;
  let database = commandDb ?? configured.dbPath;
  if (variant !== '7.0') {
    // conf.c resolves RootDir and DBPath from the configuration too (on this system, before the sysroot).
    if (commandRoot === undefined) rootDir = lookup.realpath(rootDir, host) ?? rootDir;
    if (commandDb === undefined) database = lookup.realpath(database, host) ?? database;
  }
  return reach(lookup, host, prefixed(rootDir), prefixed(database));
}

/** alpm_initialize(): the root and the database path must both resolve to directories. */
function reach(lookup: LocationLookup, context: PathContext, root: string, dbPath: string): Location {
  const resolvedRoot = lookup.realpath(root, context, true);
  if (resolvedRoot === undefined) return { kind: 'fails', why: `the root ${root} is not a directory` };
  const database = lookup.realpath(dbPath, context, true);
  if (database === undefined) return { kind: 'fails', why: `the database ${dbPath} is not a directory` };
  return { kind: 'reached', database, root: resolvedRoot, within: context.root };
}

/** What a command line does to this system, by pacman's own paths. */
export interface HostEffect {
  /** It takes this system's database lock. */
  readonly locksDatabase: boolean;
  /** It writes this system's local/ or sync/: its own database, or a private one whose directory leads there (a symlink). */
  readonly writesDatabase: boolean;
  /** It installs or removes package files under this system's root. */
  readonly writesFiles: boolean;
  /** The database it locks (resolved), when that is not this system's; absent when pacman stops before any lock. */
  readonly otherDatabase?: string;
}

export const ON_HOST: HostEffect = { locksDatabase: true, writesDatabase: true, writesFiles: true };

/** A line that names no root, database, config or sysroot: this system's, doing what the command does. */
export const effectOfPlainLine = (command: Pick<PacmanCommand, 'changesFiles' | 'writesDatabase' | 'needsLock'>): HostEffect =>
  ({ locksDatabase: command.needsLock, writesDatabase: command.writesDatabase.length > 0, writesFiles: command.changesFiles });

export const actsOnHost = (effect: HostEffect): boolean => effect.locksDatabase || effect.writesDatabase || effect.writesFiles;

/**
 * Compares where the command reaches with where this system's pacman reaches
 * (`host`, the located command line with no paths on it).
 */
export function hostEffect(
  command: Pick<PacmanCommand, 'changesFiles' | 'writesDatabase'>,
  location: Location,
  host: Extract<Location, { kind: 'reached' }>,
  lookup: Pick<LocationLookup, 'realpath'>,
): HostEffect {
  if (location.kind === 'fails') return { locksDatabase: false, writesDatabase: false, writesFiles: false };
  const locksDatabase = location.database === host.database;
  const leadsHome = (part: DatabasePart) => {
    const own = databasePart(location, part, lookup);
    return own !== undefined && own === databasePart(host, part, lookup);
  };
  return {
    locksDatabase,
    writesDatabase: locksDatabase ? command.writesDatabase.length > 0 : command.writesDatabase.some(leadsHome),
    writesFiles: command.changesFiles && location.root === host.root,
    ...(locksDatabase ? {} : { otherDatabase: location.database }),
  };
}

/** Where `<dbpath>/local` or `<dbpath>/sync` leads for the pacman that reached `location` (a directory, or undefined). */
export function databasePart(location: Extract<Location, { kind: 'reached' }>, part: DatabasePart, lookup: Pick<LocationLookup, 'realpath'>): string | undefined {
  const inner = location.within === '/' ? location.database : location.database.slice(location.within.replace(/\/$/, '').length) || '/';
  return lookup.realpath(`${inner}/${part}`, { root: location.within, cwd: '/' }, true);
}

/** Several readings (the variants pacman may be): what any of them does. */
export function unionEffect(effects: readonly HostEffect[]): HostEffect {
  const any = (key: 'locksDatabase' | 'writesDatabase' | 'writesFiles') => effects.some((effect) => effect[key]);
  const other = effects.find((effect) => effect.otherDatabase !== undefined)?.otherDatabase;
  const locksDatabase = any('locksDatabase');
  return {
    locksDatabase,
    writesDatabase: any('writesDatabase'),
    writesFiles: any('writesFiles'),
    ...(locksDatabase || other === undefined ? {} : { otherDatabase: other }),
  };
}
