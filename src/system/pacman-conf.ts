/**
 * pacman's configuration as pacman itself reads it: from `pacman-conf`, the
 * canonical parser that ships with pacman (Include, defaults and --root
 * handling included), never from a second parser of pacman.conf.
 */
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { ToolError, runTool } from './run-tool.js';

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
}

/** One process asks pacman-conf once per distinct question. */
const cache = new Map<string, Promise<PacmanConfig>>();

export async function readPacmanConfig(options: PacmanConfOptions = {}): Promise<PacmanConfig> {
  const command = options.command ?? 'pacman-conf';
  const args = [
    ...(options.config ? ['--config', options.config] : []),
    ...(options.root ? ['--rootdir', options.root] : []),
  ];
  const key = JSON.stringify([command, args]);
  let pending = cache.get(key);
  if (!pending) {
    pending = runTool(command, args).then(
      ({ stdout }) => pacmanConfigFrom(parsePacmanConfOutput(stdout)),
      (error: unknown) => {
        const detail = error instanceof ToolError ? error.message : String(error);
        throw new GuardError(`cannot read pacman's configuration: ${detail}`, { exitCode: ExitCode.StateUnknown, cause: error });
      },
    );
    cache.set(key, pending);
  }
  return pending;
}
