/**
 * pacman's `-` target (`aur sync` pipes its upgrades into `pacman -S -`):
 * read stdin the way pacman would, with pacman's errors. Only the redirect
 * path reads it; a command guard lets through keeps its stdin for pacman.
 */
import { isatty } from 'node:tty';
import { GuardError } from '../errors.js';
import { withStdinTargets } from '../pacman/model.js';

export async function readStdinTargets(targets: readonly string[]): Promise<string[]> {
  if (isatty(0)) throw new GuardError("argument '-' specified without input on stdin");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = withStdinTargets(targets, Buffer.concat(chunks).toString('utf8'));
  if (all.length < targets.length) throw new GuardError("argument '-' specified with empty stdin");
  return all;
}
