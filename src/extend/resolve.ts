/**
 * Which package files an extension is made of, found by pacman itself: the
 * requested packages and those of their dependencies the base system lacks
 * (pacman's local database decides, as for an installation), resolved and
 * downloaded against a private copy of the sync databases. The real DBPath
 * stays locked and untouched: the private copy has its own db.lck and links
 * `local/` to the real, read-only one.
 */
import { chmod, cp, mkdir, mkdtemp, readdir, rm, symlink, access } from 'node:fs/promises';
import { baseEntries } from '../system/view.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

export interface ResolvedPackage {
  readonly name: string;
  readonly version: string;
  /** pacman's %r: the sync repository, or "local" for a file given to -U. */
  readonly repository: string;
  /** pacman's %l: a URL for repository packages, a path for files. */
  readonly location: string;
  /** Named on the command line (as opposed to pulled in as a dependency). */
  readonly explicit: boolean;
}

export interface Resolver {
  readonly pacman: string;
  readonly dbPath: string;
  /** The private DBPath. */
  readonly privateDbPath: string;
  dispose(): Promise<void>;
}

const PRINT_FORMAT = '%n\t%v\t%r\t%l';

/** Pure: `--print-format '%n\t%v\t%r\t%l'` output (other lines, e.g. "loading packages...", are skipped). */
export function parsePrintedTargets(stdout: string): Omit<ResolvedPackage, 'explicit'>[] {
  const packages: Omit<ResolvedPackage, 'explicit'>[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.split('\t');
    if (fields.length !== 4 || fields.some((field) => field === '')) continue;
    const [name, version, repository, location] = fields as [string, string, string, string];
    packages.push({ name, version, repository, location });
  }
  return packages;
}

async function pacmanCall(resolver: Resolver, args: readonly string[], what: string): Promise<string> {
  // Imported here, not at the top: see extract.ts (guard update's start-up).
  const { execa } = await import('execa');
  try {
    const { stdout } = await execa(resolver.pacman, ['--dbpath', resolver.privateDbPath, '--noconfirm', '--noprogressbar', '--color', 'never', ...args], {
      env: { LC_ALL: 'C' },
      timeout: 30 * 60_000,
    });
    return stdout;
  } catch (error) {
    const failure = error as { code?: string; stderr?: string; stdout?: string; shortMessage?: string };
    if (failure.code === 'ENOENT') throw new GuardError(`${resolver.pacman} is not installed`, { cause: error });
    const said = [failure.stderr, failure.stdout].map((text) => text?.trim()).filter(Boolean).join('\n');
    const errors = said.split('\n').filter((line) => line.startsWith('error:')).map((line) => line.slice('error:'.length).trim());
    // Under "could not satisfy dependencies" pacman names each dependency: the reason that matters.
    errors.push(...said.split('\n').filter((line) => line.startsWith(':: unable to satisfy dependency')).map((line) => line.slice(3).trim()));
    throw new GuardError(`cannot ${what}: ${errors.join('; ') || said || failure.shortMessage || String(error)}`, { cause: error });
  }
}

/**
 * A private DBPath: a copy of sync/ and the base's local/: a link to the real
 * one, or, while pacman's view shows extension packages there too, a
 * directory of links to the base's entries alone (an extension being rebuilt
 * must not count as installed, nor its packages as the base's).
 *
 * Laid out as pacman's own DBPath is, because pacman acts on it as on its own:
 * - sync/ keeps the real databases' times: `-Sy` asks the server for a
 *   database only if modified since the local file's mtime (libalpm's
 *   dload.c: CURLOPT_TIMECONDITION from stat() of the existing file), so a
 *   copy stamped "now" would hide what the mirror gained since the last real
 *   -Sy;
 * - the directory is 0755, not mkdtemp's 0700: with pacman 7's DownloadUser
 *   (Arch's default `alpm`), libalpm makes sync/download-XXXXXX, chowns it to
 *   that user and downloads as it (util.c: _alpm_download_dir_setup), so that
 *   user must be able to reach it, as it reaches /var/lib/pacman/sync.
 */
export async function openResolver(pacman: string, dbPath: string): Promise<Resolver> {
  const privateDbPath = await mkdtemp(join(tmpdir(), 'pacman-guard-extend-'));
  const dispose = () => rm(privateDbPath, { recursive: true, force: true });
  try {
    await chmod(privateDbPath, 0o755);
    const local = join(dbPath, 'local');
    const base = await baseEntries(dbPath);
    const all = await readdir(local);
    if (base.length === all.length) await symlink(local, join(privateDbPath, 'local'));
    else {
      await mkdir(join(privateDbPath, 'local'));
      await Promise.all(base.map((name) => symlink(join(local, name), join(privateDbPath, 'local', name))));
    }
    await cp(join(dbPath, 'sync'), join(privateDbPath, 'sync'), { recursive: true, preserveTimestamps: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  } catch (error) {
    await dispose();
    throw new GuardError(`cannot copy pacman's sync databases from ${dbPath}: ${(error as Error).message}`, { cause: error });
  }
  return { pacman, dbPath, privateDbPath, dispose };
}

/** `pacman -Sy` on the private copy: fresh sync databases without unlocking the real ones. */
export async function refreshSyncDatabases(resolver: Resolver): Promise<void> {
  await pacmanCall(resolver, ['-Sy'], 'refresh the sync databases');
}

/**
 * The packages an installation of these targets would bring: `pacman -S`
 * names (repo/name allowed) and `pacman -U` files, each with the
 * dependencies the local database does not satisfy. `assumeInstalled`
 * (name=version) stands for packages other extensions already carry.
 */
export async function resolveTargets(resolver: Resolver, names: readonly string[], files: readonly string[], assumeInstalled: readonly string[] = []): Promise<ResolvedPackage[]> {
  const assume = assumeInstalled.flatMap((spec) => ['--assume-installed', spec]);
  const printed: Omit<ResolvedPackage, 'explicit'>[] = [];
  if (names.length > 0) printed.push(...parsePrintedTargets(await pacmanCall(resolver, ['-S', '--print-format', PRINT_FORMAT, ...assume, '--', ...names], 'resolve the packages')));
  if (files.length > 0) printed.push(...parsePrintedTargets(await pacmanCall(resolver, ['-U', '--print-format', PRINT_FORMAT, ...assume, '--', ...files], 'read the package files')));
  const requested = new Set(names.map((name) => name.split('/').at(-1)!));
  const requestedFiles = new Set(files);
  const byName = new Map<string, ResolvedPackage>();
  for (const entry of printed) {
    const explicit = requested.has(entry.name) || (entry.repository === 'local' && requestedFiles.has(entry.location));
    const previous = byName.get(entry.name);
    if (previous && (previous.version !== entry.version || previous.location !== entry.location)) {
      throw new GuardError(`${entry.name} is wanted twice, as ${previous.version} (${previous.location}) and ${entry.version} (${entry.location})`, { exitCode: ExitCode.Usage });
    }
    byName.set(entry.name, { ...entry, explicit: explicit || (previous?.explicit ?? false) });
  }
  return [...byName.values()];
}

/**
 * Downloads the repository packages into pacman's cache (`pacman -Sw`,
 * exactly these: --nodeps twice) and returns every package's file.
 */
export async function fetchPackages(resolver: Resolver, packages: readonly ResolvedPackage[], cacheDirs: readonly string[]): Promise<Map<string, string>> {
  const fromRepositories = packages.filter((entry) => entry.repository !== 'local');
  if (fromRepositories.length > 0) {
    await pacmanCall(resolver, ['-Sw', '--nodeps', '--nodeps', '--', ...fromRepositories.map((entry) => `${entry.repository}/${entry.name}`)], 'download the packages');
  }
  const files = new Map<string, string>();
  for (const entry of packages) {
    if (entry.repository === 'local') {
      files.set(entry.name, entry.location);
      continue;
    }
    const fileName = decodeURIComponent(basename(new URL(entry.location).pathname));
    const found = await firstExisting(cacheDirs.map((directory) => join(directory, fileName)));
    if (!found) throw new GuardError(`pacman downloaded ${fileName}, but it is in none of the cache directories (${cacheDirs.join(', ')})`);
    files.set(entry.name, found);
  }
  return files;
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {
      // Try the next cache directory.
    }
  }
  return undefined;
}
