/**
 * Which pacman build fronts the guard, so the command-line model can parse
 * exactly as it does. `pacman --version` names a release, not a build: where
 * builds that print the same version parse differently, every one of them is
 * a candidate and the caller fails closed across them. Unknown when pacman
 * cannot be asked.
 */
import { binaryIdentity } from './file-identity.js';
import { runTool } from './run-tool.js';
import { cachedAnswer, type ToolCacheOptions } from './tool-cache.js';
import type { PacmanVariant } from '../pacman/options.js';

/** The real pacman, unless PACMAN_GUARD_REAL_PACMAN names another. */
export const DEFAULT_REAL_PACMAN = '/usr/bin/pacman';

/**
 * Pure: `Pacman v6.0.2 - libalpm v13.0.2` → ['6.0']. `Pacman v7.1.0` is the
 * tag or a later git build with 2df7c407 (Arch ships `7.1.0.r9.g54d9411`),
 * which print the same; a release past 7.1.0 descends from both.
 */
export function variantsForVersion(versionOutput: string): readonly PacmanVariant[] | undefined {
  const match = /Pacman v(\d+)\.(\d+)\.(\d+)/.exec(versionOutput);
  if (!match) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < 7) return ['6.0'];
  if (major === 7 && minor === 0) return ['7.0'];
  return ['7.1.0', '7.1.0+2df7c407'];
}

/**
 * The variants `pacman` may be. Its version is compiled into the binary, so
 * the answer is cached keyed on the binary alone (tool-cache.ts); `cache:
 * false` asks it every time.
 */
export async function detectPacmanVariants(pacman: string, options: { cache?: ToolCacheOptions | false } = {}): Promise<readonly PacmanVariant[] | undefined> {
  const ask = async () => (await runTool(pacman, ['--version'])).stdout;
  try {
    const identity = options.cache === false || !pacman.startsWith('/') ? undefined : await binaryIdentity(pacman);
    const stdout = identity === undefined ? await ask() : await cachedAnswer({ id: JSON.stringify(['pacman --version', pacman]), key: identity }, ask, options.cache || {});
    return variantsForVersion(stdout);
  } catch {
    return undefined;
  }
}
