import {
  EXTENSION_STORE,
  OTHER_EXTENSION_DIRECTORIES,
  carryingExtensions,
  createWorkDirectory,
  dropHeld,
  extensionReleasePath,
  heldDirectory,
  holdExtension,
  listHeld,
  listStore,
  nameTakenElsewhere,
  notOurs,
  provenancePath,
  readProvenance,
  removeWorkDirectory,
  swapIn,
  takeOut,
  validExtensionName
} from "./chunk-QHI3HJOS.js";
import "./chunk-63T2ULCU.js";
export {
  EXTENSION_STORE,
  OTHER_EXTENSION_DIRECTORIES,
  carryingExtensions,
  createWorkDirectory,
  dropHeld,
  extensionReleasePath,
  heldDirectory,
  holdExtension,
  listHeld,
  listStore,
  nameTakenElsewhere,
  notOurs,
  provenancePath,
  readProvenance,
  removeWorkDirectory,
  swapIn,
  takeOut,
  validExtensionName
};
//# sourceMappingURL=store-YFBARH2Y.js.map
