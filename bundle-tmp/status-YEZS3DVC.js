import {
  VAR_POLICY,
  statusCommand,
  statusDocument
} from "./chunk-MJPG6TGX.js";
import "./chunk-CBJKVL5X.js";
import "./chunk-7PTK2B3L.js";
import "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-63T2ULCU.js";
export {
  VAR_POLICY,
  statusCommand,
  statusDocument
};
//# sourceMappingURL=status-YEZS3DVC.js.map
