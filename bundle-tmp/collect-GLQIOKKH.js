import {
  auditCountsSinceBoot,
  prometheusText
} from "./chunk-ZGOHD6PR.js";
import "./chunk-CN5PT5GW.js";
import "./chunk-LMKLE5DX.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-63T2ULCU.js";
export {
  auditCountsSinceBoot,
  prometheusText
};
//# sourceMappingURL=collect-GLQIOKKH.js.map
