// src/shim/protocol.ts
var SHIM_HANDLED = 100;

export {
  SHIM_HANDLED
};
//# sourceMappingURL=chunk-YJFO2KKY.js.map
