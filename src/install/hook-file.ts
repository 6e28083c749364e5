/**
 * The libalpm hook, rendered from hooks/00-pacman-guard.hook.in with absolute
 * paths (libalpm runs hooks without a shell, so the paths may not contain
 * white space).
 */
import { readFile } from 'node:fs/promises';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

export const HOOK_NAME = '00-pacman-guard.hook';
export const HOOK_TEMPLATE = new URL('../../hooks/00-pacman-guard.hook.in', import.meta.url);

export function renderHook(template: string, node: string, guardMain: string): string {
  for (const path of [node, guardMain]) {
    if (/\s/.test(path)) throw new GuardError(`cannot use '${path}' in a libalpm hook: it contains white space`, { exitCode: ExitCode.Usage });
  }
  return template.replaceAll('@GUARD_EXEC@', `${node} ${guardMain}`);
}

export async function readHookTemplate(): Promise<string> {
  return readFile(HOOK_TEMPLATE, 'utf8');
}
