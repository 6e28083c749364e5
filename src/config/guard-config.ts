/**
 * /etc/pacman-guard.conf: the guard's own policy, in pacman.conf's syntax
 * (`[options]`, `Key = value`, `#` comments). Strict: an unknown section,
 * key or value is an error that names the line, because a typo such as
 * `Polcy = redirect` must not silently mean the default.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync } from 'node:fs';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { PolicyMode } from '../policy/decide.js';

export const GUARD_CONFIG_PATH = '/etc/pacman-guard.conf';

export interface GuardConfig {
  readonly policy: PolicyMode;
}

export const DEFAULT_GUARD_CONFIG: GuardConfig = { policy: 'refuse' };

const POLICIES: readonly PolicyMode[] = ['refuse', 'redirect'];

/** Pure: the config from the file's text; throws GuardError (exit 2) naming `source:line`. */
export function parseGuardConfig(text: string, source = GUARD_CONFIG_PATH): GuardConfig {
  let policy: PolicyMode = DEFAULT_GUARD_CONFIG.policy;
  let section: string | undefined;
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const fail = (problem: string): never => {
      // The line is quoted: escaped, so that control characters never reach the terminal.
      throw new GuardError(`${source}:${index + 1}: ${printable(problem)}`, {
        exitCode: ExitCode.Usage,
        hints: [`  fix ${source} (see guard(8)), then run: guard doctor`],
      });
    };
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      if (section !== 'options') fail(`unknown section '[${section}]' (only [options] exists)`);
      continue;
    }
    if (line.startsWith('[')) fail(`malformed section header '${line}'`);
    if (section === undefined) fail(`'${line}' is outside a section; put it under [options]`);
    const equals = line.indexOf('=');
    const key = (equals === -1 ? line : line.slice(0, equals)).trim();
    const value = equals === -1 ? undefined : line.slice(equals + 1).trim();
    if (key !== 'Policy') fail(`unknown option '${key}' (known: Policy)`);
    if (seen.has(key)) fail(`'${key}' is set twice`);
    seen.add(key);
    if (value === undefined || value === '') fail(`'${key}' needs a value (${POLICIES.join(' or ')})`);
    if (!POLICIES.includes(value as PolicyMode)) fail(`invalid value '${value}' for ${key} (expected ${POLICIES.join(' or ')})`);
    policy = value as PolicyMode;
  }
  return { policy };
}

/** A line of the file as an error message may quote it: control characters escaped, never sent to the terminal raw. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** NUL bytes or bytes that are not UTF-8 (decoded as U+FFFD): a binary file, not a configuration. */
function isBinary(bytes: Buffer, text: string): boolean {
  return bytes.includes(0) || text.includes('\uFFFD');
}

export interface GuardConfigFile {
  readonly config: GuardConfig;
  /** False when there is no file and the defaults apply. */
  readonly exists: boolean;
}

/**
 * Reads the config file; a missing file means the defaults. Any other
 * failure (unreadable, a directory, binary, malformed) is a GuardError the
 * caller must treat as "policy unknown", i.e. refuse.
 */
export async function readGuardConfigFile(path = GUARD_CONFIG_PATH): Promise<GuardConfigFile> {
  const hints = [`  remove it, or replace it with a text file like packaging/pacman-guard.conf (see guard(8)), then run: guard doctor`];
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { config: DEFAULT_GUARD_CONFIG, exists: false };
    if (code === 'EISDIR') throw new GuardError(`${path} is a directory, not a configuration file`, { exitCode: ExitCode.StateUnknown, hints, cause: error });
    throw new GuardError(`cannot read ${path}: ${describeError(error)}`, { exitCode: ExitCode.StateUnknown, cause: error });
  }
  const text = bytes.toString('utf8');
  if (isBinary(bytes, text)) throw new GuardError(`${path} is not a text file (it contains binary data)`, { exitCode: ExitCode.StateUnknown, hints });
  return { config: parseGuardConfig(text, path), exists: true };
}

export async function readGuardConfig(path = GUARD_CONFIG_PATH): Promise<GuardConfig> {
  return (await readGuardConfigFile(path)).config;
}
