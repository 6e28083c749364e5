import { readPacmanConfig } from '../system/pacman-conf.js';

/** pacman.conf's Color option; a configuration that cannot be read means no colour. */
export async function readPacmanColor(): Promise<boolean> {
  try {
    return (await readPacmanConfig()).color;
  } catch {
    return false;
  }
}
