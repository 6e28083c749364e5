import {
  DEFAULT_REAL_PACMAN,
  checkCommand,
  checkDocument
} from "./chunk-6SAGVWWM.js";
import "./chunk-EU7SIPEI.js";
import "./chunk-4WA2TRF5.js";
import "./chunk-FBLWSKTN.js";
import "./chunk-YUQUC6CE.js";
import "./chunk-LMKLE5DX.js";
import "./chunk-CBJKVL5X.js";
import "./chunk-7PTK2B3L.js";
import "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-63T2ULCU.js";
export {
  DEFAULT_REAL_PACMAN,
  checkCommand,
  checkDocument
};
//# sourceMappingURL=check-4VMGRIB5.js.map
