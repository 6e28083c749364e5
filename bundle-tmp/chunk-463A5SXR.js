import {
  readGuardConfig
} from "./chunk-YUQUC6CE.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/cli/policy-or-refuse.ts
async function policyOrRefuse(output) {
  try {
    return (await readGuardConfig()).policy;
  } catch (error) {
    const message = error instanceof GuardError ? error.message : describeError(error);
    output.error(message, "  the configuration is invalid, so pacman-guard refuses instead of redirecting (fail closed)");
    return "refuse";
  }
}

export {
  policyOrRefuse
};
//# sourceMappingURL=chunk-463A5SXR.js.map
