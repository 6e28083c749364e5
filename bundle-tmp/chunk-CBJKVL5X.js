import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/cli/parse-options.ts
import { parseArgs } from "node:util";
function parseCommandOptions(args, options, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, "") : String(error);
    throw new GuardError(message.charAt(0).toLowerCase() + message.slice(1), { exitCode: 2 /* Usage */, hints: ["  run 'guard <command> --help' for usage"] });
  }
}

export {
  parseCommandOptions
};
//# sourceMappingURL=chunk-CBJKVL5X.js.map
