import {
  outputAsPacman,
  pacmanColorFlag,
  readPacmanColor
} from "./chunk-CTOPQ2FV.js";
import "./chunk-E7PJUYJI.js";
import "./chunk-ANAKCO4H.js";
import "./chunk-63T2ULCU.js";
export {
  outputAsPacman,
  pacmanColorFlag,
  readPacmanColor
};
//# sourceMappingURL=pacman-color-LXBQPXIX.js.map
