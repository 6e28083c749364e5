import {
  DEFAULT_BINDIR,
  DEFAULT_HOOKDIR,
  DEFAULT_MANIFEST,
  DEFAULT_UNITDIR,
  installCommand,
  uninstallCommand
} from "./chunk-4UQQCJ67.js";
import "./chunk-JOIKW67E.js";
import "./chunk-YJFO2KKY.js";
import "./chunk-YPDJNW7G.js";
import "./chunk-4WA2TRF5.js";
import "./chunk-CBJKVL5X.js";
import "./chunk-CV7VYEZC.js";
import "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-63T2ULCU.js";
export {
  DEFAULT_BINDIR,
  DEFAULT_HOOKDIR,
  DEFAULT_MANIFEST,
  DEFAULT_UNITDIR,
  installCommand,
  uninstallCommand
};
//# sourceMappingURL=install-WUXW2QRJ.js.map
