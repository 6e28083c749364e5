import {
  finishUpdate,
  runUpdate
} from "./chunk-VHHCGI5A.js";
import "./chunk-TZFI22VC.js";
import "./chunk-EJBPORAO.js";
import "./chunk-CV7VYEZC.js";
import "./chunk-FG7EVZGW.js";
import "./chunk-2PSP3724.js";
import "./chunk-7PTK2B3L.js";
import "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-QHI3HJOS.js";
import "./chunk-63T2ULCU.js";
export {
  finishUpdate,
  runUpdate
};
//# sourceMappingURL=update-NW3CG3A3.js.map
