/**
 * /etc/pacman-guard.conf: the guard's own policy, in pacman.conf's syntax
 * (`[options]`, `Key = value`, `#` comments). Strict: an unknown section,
 * key or value is an error that names the line, because a typo such as
 * `Polcy = redirect` must not silently mean the default.
 */
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { PolicyMode } from './decide.js';

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
