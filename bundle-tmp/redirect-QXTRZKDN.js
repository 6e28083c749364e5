import {
  SHIM_HANDLED
} from "./chunk-YJFO2KKY.js";
import {
  withStdinTargets
} from "./chunk-4WA2TRF5.js";
import {
  commandLine
} from "./chunk-FBLWSKTN.js";
import "./chunk-YUQUC6CE.js";
import "./chunk-LMKLE5DX.js";
import {
  localPackageName
} from "./chunk-EJBPORAO.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import {
  listStore
} from "./chunk-QHI3HJOS.js";
import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/cli/redirect.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";

// src/extend/removal.ts
function planRemoval(targets, extensions, base) {
  const built = extensions.filter((extension) => extension.provenance);
  const carrierOf = (target) => built.find((extension) => extension.provenance.packages.some((entry) => entry.name === target));
  const inBase = targets.filter((target) => base.has(target));
  const inExtensions = targets.filter((target) => !base.has(target) && carrierOf(target));
  const missing = targets.filter((target) => !base.has(target) && !carrierOf(target));
  if (missing.length > 0) return { kind: "not found", targets: missing };
  if (inExtensions.length === 0) return { kind: "base" };
  if (inBase.length > 0) return { kind: "mixed", inExtensions, inBase };
  const removed = new Set(inExtensions);
  const steps = [];
  for (const extension of built) {
    const packages = extension.provenance.packages;
    if (!packages.some((entry) => removed.has(entry.name))) continue;
    const dependency = packages.find((entry) => removed.has(entry.name) && !entry.explicit);
    if (dependency) {
      const neededBy = packages.filter((entry) => entry.explicit && !removed.has(entry.name)).map((entry) => entry.name);
      if (neededBy.length > 0) return { kind: "dependency", target: dependency.name, extension: extension.name, neededBy };
    }
    const remaining = packages.filter((entry) => entry.explicit && !removed.has(entry.name)).map((entry) => entry.repository === "local" ? entry.file : entry.name);
    steps.push(remaining.length === 0 ? { extension: extension.name, action: "remove" } : { extension: extension.name, action: "rebuild", targets: remaining });
  }
  return { kind: "extensions", steps };
}
function removalCommands(steps) {
  return steps.map((step) => step.action === "remove" ? ["guard", "extend", "--remove", step.extension] : ["guard", "extend", "--name", step.extension, ...step.targets]);
}

// src/cli/stdin-targets.ts
import { isatty } from "node:tty";
async function readStdinTargets(targets) {
  if (isatty(0)) throw new GuardError("argument '-' specified without input on stdin");
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const all = withStdinTargets(targets, Buffer.concat(chunks).toString("utf8"));
  if (all.length < targets.length) throw new GuardError("argument '-' specified with empty stdin");
  return all;
}

// src/cli/redirect.ts
var asRoot = () => process.getuid?.() === 0;
var handled = (status) => status === 0 ? SHIM_HANDLED : status;
async function removalPlan(targets) {
  const { dbPath } = await readPacmanConfig();
  const base = new Set((await readdir(join(dbPath, "local"))).map(localPackageName));
  return planRemoval(targets, await listStore(), base);
}
async function removalAdvice(targets) {
  const plan = await removalPlan(targets).catch(() => void 0);
  return plan?.kind === "extensions" ? removalCommands(plan.steps) : void 0;
}
async function redirect(request) {
  const { context, command, verdict } = request;
  const targets = command.readsTargetsFromStdin ? await readStdinTargets(command.targets) : command.targets;
  switch (verdict.redirect) {
    case "extend":
      return redirectToExtend(request, targets);
    case "update":
      return redirectToUpdate(request, "upgrading the base system");
    case "remove": {
      const plan = await removalPlan(targets);
      switch (plan.kind) {
        case "base":
          return redirectToUpdate(request, "removing base packages");
        case "extensions":
          return removeFromExtensions(request, plan.steps);
        case "not found":
          throw new GuardError(`target not found: ${plan.targets.join(", ")}`, { exitCode: 1 /* Failure */, hints: ["  nothing was changed: neither the base nor a guard-built extension has it"] });
        case "dependency":
          throw new GuardError(`${plan.target} is a dependency in extension ${plan.extension}, which was built for ${plan.neededBy.join(", ")}`, {
            exitCode: 3 /* Refused */,
            hints: ["  nothing was changed; remove what needs it first, or the whole extension:", `    ${commandLine("guard", ["extend", "--remove", plan.extension])}`]
          });
        case "mixed":
          throw new GuardError(`${plan.inExtensions.join(", ")} ${plan.inExtensions.length === 1 ? "is" : "are"} in system extensions, ${plan.inBase.join(", ")} in the base: two different changes`, {
            exitCode: 3 /* Refused */,
            hints: ["  nothing was changed; remove them separately:", `    ${commandLine("pacman", ["-R", ...plan.inExtensions])}`, `    ${commandLine("pacman", ["-R", ...plan.inBase])}`]
          });
      }
    }
    // falls through: a verdict without a destination is no redirect
    case void 0:
      throw new GuardError("internal error: a redirect without a destination", { exitCode: 1 /* Failure */ });
  }
}
async function redirectToExtend(request, targets) {
  const { context, verdict } = request;
  const { extend } = await import("./extend-ZCSC7JLI.js");
  const { reportExtension } = await import("./extend-2BDU5MUL.js");
  context.output.heading(`pacman-guard: ${verdict.reason}; building a system extension instead of installing (Policy = redirect)`);
  context.output.line(`    ${commandLine("guard", ["extend", ...targets])}`);
  await request.audit("redirected", verdict.reason);
  const result = await extend({ targets, env: context.env, realPacman: request.realPacman, progress: (line) => context.output.heading(line) });
  reportExtension(context.output, result);
  context.output.line(`pacman's database is unchanged; to undo: ${asRoot() ? "" : "sudo "}guard extend --remove ${result.provenance.name}`);
  return SHIM_HANDLED;
}
async function redirectToUpdate(request, what) {
  const { context, verdict, args } = request;
  if (!asRoot()) throw new GuardError("you cannot perform this operation unless you are root.", { exitCode: 1 /* Failure */ });
  const { runUpdate } = await import("./update-NW3CG3A3.js");
  context.output.heading(`pacman-guard: ${verdict.reason}; ${what} in guard update's maintenance window (Policy = redirect)`);
  context.output.line(`    ${commandLine("guard", ["update", ...args])}`);
  await request.audit("redirected to guard update", verdict.reason);
  return handled(await runUpdate(args, { env: context.env, realPacman: request.realPacman, output: context.output }));
}
async function removeFromExtensions(request, steps) {
  const { context, verdict } = request;
  const { extend, removeExtension } = await import("./extend-ZCSC7JLI.js");
  const { reportExtension } = await import("./extend-2BDU5MUL.js");
  context.output.heading(`pacman-guard: ${verdict.reason}; the packages are in system extensions, taking them out of there (Policy = redirect)`);
  for (const command of removalCommands(steps)) context.output.line(`    ${commandLine(command[0], command.slice(1))}`);
  await request.audit("redirected to guard extend", verdict.reason);
  for (const step of steps) {
    if (step.action === "remove") {
      await removeExtension(step.extension);
      context.output.line(`removed extension ${step.extension}`);
    } else {
      reportExtension(context.output, await extend({ targets: step.targets, name: step.extension, env: context.env, realPacman: request.realPacman, progress: (line) => context.output.heading(line) }));
    }
  }
  return SHIM_HANDLED;
}
export {
  redirect,
  removalAdvice,
  removalPlan
};
//# sourceMappingURL=redirect-QXTRZKDN.js.map
