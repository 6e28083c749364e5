/**
 * pacman's configuration as pacman itself reads it: from `pacman-conf`, the
 * canonical parser that ships with pacman (Include, defaults and --root
 * handling included), never from a second parser of pacman.conf.
 */
import { machine } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { binaryIdentity } from './file-identity.js';
import { pacmanConfFiles } from './pacman-conf-files.js';
import { ToolError, runTool } from './run-tool.js';
import { cachedAnswer, type ToolCacheOptions } from './tool-cache.js';
import { findOnPath } from './find-on-path.js';

/**
 * The configuration pacman-conf reads without --config: its compiled-in
 * CONFFILE, sysconfdir's pacman.conf, which Arch (and Debian) build with
 * sysconfdir /etc. Only the cache's key depends on it.
 */
export const DEFAULT_PACMAN_CONF = '/etc/pacman.conf';

export interface PacmanConfig {
  readonly rootDir: string;
  readonly dbPath: string;
  readonly hookDirs: readonly string[];
  readonly cacheDirs: readonly string[];
  readonly logFile: string;
  readonly gpgDir: string;
  readonly color: boolean;
  readonly architectures: readonly string[];
}

/** Pure: the `[options]` section of `pacman-conf` output as key → values (a bare key such as `Color` has value ""). */
export function parsePacmanConfOutput(text: string): Map<string, string[]> {
  const options = new Map<string, string[]>();
  let section: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section !== 'options') continue;
    const equals = line.indexOf('=');
    const key = (equals === -1 ? line : line.slice(0, equals)).trim();
    const value = equals === -1 ? '' : line.slice(equals + 1).trim();
    options.set(key, [...(options.get(key) ?? []), value]);
  }
  return options;
}

export function pacmanConfigFrom(options: ReadonlyMap<string, readonly string[]>): PacmanConfig {
  const one = (key: string): string => {
    const value = options.get(key)?.[0];
    if (value === undefined) throw new GuardError(`pacman-conf printed no ${key}`, { exitCode: ExitCode.StateUnknown });
    return value;
  };
  return {
    rootDir: one('RootDir'),
    dbPath: one('DBPath'),
    hookDirs: options.get('HookDir') ?? [],
    cacheDirs: options.get('CacheDir') ?? [],
    logFile: one('LogFile'),
    gpgDir: options.get('GPGDir')?.[0] ?? '',
    color: options.has('Color'),
    architectures: options.get('Architecture') ?? [],
  };
}

export interface PacmanConfOptions {
  /** pacman's --config. */
  readonly config?: string;
  /** pacman's --root (pacman-conf --rootdir). */
  readonly root?: string;
  readonly command?: string;
  /** Where answers are cached across runs (tool-cache.ts); false: ask pacman-conf. */
  readonly cache?: ToolCacheOptions | false;
}

/** One process asks pacman-conf once per distinct question. */
const answers = new Map<string, Promise<PacmanConfig>>();

/**
 * Everything pacman-conf's answer depends on, or undefined when that cannot
 * be told (then it is asked every time): its binary, the configuration and
 * the files it includes, the machine (`Architecture = auto` is uname's).
 */
export async function pacmanConfKey(binary: string, config: string, args: readonly string[]): Promise<string | undefined> {
  const [tool, files] = await Promise.all([binaryIdentity(binary), pacmanConfFiles(config)]);
  if (tool === undefined || files === undefined) return undefined;
  return JSON.stringify({ machine: machine(), tool: [binary, tool], args, files });
}

export async function readPacmanConfig(options: PacmanConfOptions = {}): Promise<PacmanConfig> {
  const command = options.command ?? 'pacman-conf';
  // Absolute, so the configuration keyed is the one read whatever the directory.
  const config = options.config === undefined ? undefined : resolve(options.config);
  const args = [
    ...(config ? ['--config', config] : []),
    ...(options.root ? ['--rootdir', options.root] : []),
  ];
  const id = JSON.stringify([command, args]);
  let pending = answers.get(id);
  if (!pending) {
    pending = askPacmanConf(command, config ?? DEFAULT_PACMAN_CONF, args, options).then(
      (stdout) => pacmanConfigFrom(parsePacmanConfOutput(stdout)),
      (error: unknown) => {
        const detail = error instanceof ToolError ? error.message : String(error);
        throw new GuardError(`cannot read pacman's configuration: ${detail}`, { exitCode: ExitCode.StateUnknown, cause: error });
      },
    );
    answers.set(id, pending);
  }
  return pending;
}

async function askPacmanConf(command: string, config: string, args: readonly string[], options: PacmanConfOptions): Promise<string> {
  // The binary execvp would run: the one the key names is the one asked.
  const binary = await findOnPath(command, process.env.PATH);
  const ask = async () => (await runTool(binary ?? command, args)).stdout;
  // A relative --root is pacman-conf's to resolve, against a directory the key does not name.
  if (options.cache === false || !binary || (options.root !== undefined && !isAbsolute(options.root))) return ask();
  const key = await pacmanConfKey(binary, config, args);
  if (key === undefined) return ask();
  return cachedAnswer({ id: JSON.stringify(['pacman-conf', binary, args]), key }, ask, options.cache);
}
