/**
 * Colour for what guard prints on pacman's behalf (the shims' refusals), as
 * pacman would decide it for the same command line: its `--color` as the
 * model parsed it, then `Color` in the pacman.conf it would read.
 */
import type { PacmanCommand } from '../pacman/model.js';
import { createOutput, type ColorSetting, type Output } from '../ui/output.js';
import { resolveColor } from './global-options.js';
import type { CliEnvironment } from './command.js';

/** The `--color` pacman will use: the model keeps the last one given, as pacman's parseargs() does. */
export function pacmanColorFlag(command: Pick<PacmanCommand, 'values'>): ColorSetting | undefined {
  const value = command.values.get('color')?.at(-1);
  // Anything else, pacman rejects before it runs, and the shim lets pacman say so.
  return value === 'never' || value === 'auto' || value === 'always' ? value : undefined;
}

/** An output coloured as pacman would colour its own messages for `command`. */
export async function outputAsPacman(environment: CliEnvironment, command: Pick<PacmanCommand, 'values' | 'paths'>): Promise<Output> {
  const color = await resolveColor(pacmanColorFlag(command), environment, command.paths.config);
  return createOutput({ color, out: environment.stdout, err: environment.stderr });
}
