import {
  createOutput,
  resolveColor
} from "./chunk-E7PJUYJI.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";

// src/cli/pacman-color.ts
async function readPacmanColor(config) {
  try {
    return (await readPacmanConfig(config ? { config } : {})).color;
  } catch {
    return false;
  }
}
function pacmanColorFlag(command) {
  const value = command.values.get("color")?.at(-1);
  return value === "never" || value === "auto" || value === "always" ? value : void 0;
}
async function outputAsPacman(environment, command) {
  const color = await resolveColor(pacmanColorFlag(command), environment, command.paths.config);
  return createOutput({ color, out: environment.stdout, err: environment.stderr });
}

export {
  readPacmanColor,
  pacmanColorFlag,
  outputAsPacman
};
//# sourceMappingURL=chunk-CTOPQ2FV.js.map
