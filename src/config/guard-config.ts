/**
 * /etc/pacman-guard.conf: the guard's own policy, in pacman.conf's syntax
 * (`[options]`, `Key = value`, `#` comments). Strict: an unknown section,
 * key or value is an error that names the line, because a typo such as
 * `Polcy = redirect` must not silently mean the default.
 */
import { readFile } from 'node:fs/promises';
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
      throw new GuardError(`${source}:${index + 1}: ${problem}`, {
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

/**
 * Reads the config file; a missing file means the defaults. Any other
 * failure (unreadable, malformed) is a GuardError the caller must treat as
 * "policy unknown", i.e. refuse.
 */
export async function readGuardConfig(path = GUARD_CONFIG_PATH): Promise<GuardConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_GUARD_CONFIG;
    throw new GuardError(`cannot read ${path}: ${describeError(error)}`, { exitCode: ExitCode.StateUnknown, cause: error });
  }
  return parseGuardConfig(text, path);
}

