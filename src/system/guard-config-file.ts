/**
 * Reads /etc/pacman-guard.conf (its syntax and meaning: src/policy/config.ts).
 * A missing file means the defaults; anything else that is not a readable
 * text file is an error, so that the policy is never guessed.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync } from 'node:fs';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_GUARD_CONFIG, GUARD_CONFIG_PATH, parseGuardConfig, type GuardConfig } from '../policy/config.js';

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
