// src/version.ts
import { readFileSync } from "node:fs";
var VERSION = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

export {
  VERSION
};
//# sourceMappingURL=chunk-FG7EVZGW.js.map
