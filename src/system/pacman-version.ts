/**
 * Which pacman release fronts the guard, so the command-line model can parse
 * exactly as it does. Unknown when pacman cannot be asked.
 */
import { runTool } from './run-tool.js';
import type { PacmanVersion } from '../pacman/options.js';

/** Pure: `Pacman v6.0.2 - libalpm v13.0.2` → '6.0'. */
export function modelVersionFor(versionOutput: string): PacmanVersion | undefined {
  const match = /Pacman v(\d+)\.(\d+)/.exec(versionOutput);
  if (!match) return undefined;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 7) return '6.0';
  if (major === 7 && minor === 0) return '7.0';
  return '7.1';
}

export async function detectPacmanVersion(pacman: string): Promise<PacmanVersion | undefined> {
  try {
    const { stdout } = await runTool(pacman, ['--version']);
    return modelVersionFor(stdout);
  } catch {
    return undefined;
  }
}
