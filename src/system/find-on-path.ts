/**
 * The file execvp(3) would run for a command name: the first executable
 * regular file named so in PATH's directories. Undefined when there is none,
 * or when PATH names a relative directory (what it means depends on the
 * directory the caller happens to be in).
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

export async function findOnPath(command: string, path: string | undefined): Promise<string | undefined> {
  if (command.includes('/')) return command.startsWith('/') ? command : undefined;
  // execvp's default search path when PATH is unset (glibc: /bin:/usr/bin).
  for (const directory of (path ?? '/bin:/usr/bin').split(':')) {
    if (!directory.startsWith('/')) return undefined;
    const candidate = join(directory, command);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: execvp goes on to the next directory too.
    }
  }
  return undefined;
}
