import {
  PACMAN_VARIANTS,
  parsePacmanCommand
} from "./chunk-4WA2TRF5.js";
import {
  engagementOf,
  probeSystem
} from "./chunk-7PTK2B3L.js";
import {
  binaryIdentity,
  cachedAnswer,
  readPacmanConfig,
  runTool
} from "./chunk-ANAKCO4H.js";
import {
  describeError
} from "./chunk-63T2ULCU.js";

// src/policy/describe.ts
function describeAction(command) {
  const has = (flag) => (command.flags.get(flag) ?? 0) > 0;
  switch (command.operation) {
    case "sync":
      if (has("clean")) return "cleaning the package cache";
      if (has("search") || has("info") || has("list") || has("groups")) {
        return has("refresh") ? "synchronizing the package databases" : "reading the sync databases";
      }
      if (has("print")) return has("refresh") ? "synchronizing the package databases" : "printing what would be installed";
      if (has("downloadonly")) return "downloading packages";
      if (has("sysupgrade")) return "upgrading the system";
      if (command.targets.length > 0) return "installing packages";
      return "synchronizing the package databases";
    case "remove":
      return has("print") ? "printing what would be removed" : "removing packages";
    case "upgrade":
      return has("print") ? "printing what would be installed" : "installing package files";
    case "database":
      if (has("asdeps") || has("asexplicit")) return "changing install reasons";
      return "checking the database";
    case "files":
      return has("refresh") ? "synchronizing the files databases" : "searching the files databases";
    case "query":
      return "querying the local database";
    case "deptest":
      return "testing dependencies";
    case void 0:
      return "no operation";
  }
}

// src/policy/decide.ts
function isEngaged(engagement) {
  return engagement.known ? engagement.merged.length > 0 || engagement.locked : void 0;
}
function redirectKind(command) {
  const has = (flag) => (command.flags.get(flag) ?? 0) > 0;
  if (command.outcome !== "run" || has("print") || has("dbonly")) return void 0;
  if (command.operation === "remove") return command.targets.length > 0 ? "remove" : void 0;
  if (command.operation === "upgrade") return command.targets.length > 0 ? "extend" : void 0;
  if (command.operation !== "sync" || has("clean") || has("downloadonly") || has("search") || has("info") || has("list") || has("groups")) return void 0;
  if (has("sysupgrade")) return "update";
  return command.targets.length > 0 && !has("refresh") ? "extend" : void 0;
}
function isRedirectable(command) {
  return redirectKind(command) === "extend";
}
function installReasonTargets(command) {
  if (command.outcome !== "run" || command.operation !== "database" || command.readsTargetsFromStdin) return void 0;
  const marks = (command.flags.get("asdeps") ?? 0) > 0 || (command.flags.get("asexplicit") ?? 0) > 0;
  return marks && command.targets.length > 0 ? command.targets : void 0;
}
function decide(command, actsOnHost2, engagement, mode = "refuse") {
  const action = describeAction(command);
  const allow = (reason2) => ({ decision: "allow", reason: reason2, action, exitCode: 0 /* Ok */ });
  if (command.outcome === "help") return allow("pacman prints its help");
  if (command.outcome === "version") return allow("pacman prints its version");
  if (command.outcome === "rejected") return allow(`pacman rejects this command line itself (${command.rejection?.message})`);
  if (!command.needsLock) return allow(`${action} does not change the system`);
  if (!actsOnHost2) return allow(`${action} acts on another root and database, not this system's`);
  if (!engagement.known) return unknownStateRefusal(engagement, action);
  if (engagement.update) return updateWindowRefusal(engagement.update, action);
  if (!isEngaged(engagement)) {
    if (!command.changesFiles || (engagement.readOnly ?? []).length === 0) {
      return allow(engagement.readOnly ? `${NOT_ENGAGED}, and ${action} writes no package files into the read-only image` : NOT_ENGAGED);
    }
  }
  const reason = engagedReason(engagement, command.changesFiles);
  const next = nextStep(engagement, command.changesFiles);
  const redirect = mode === "redirect" ? redirectKind(command) : void 0;
  if (redirect) return { decision: "redirect", redirect, reason, action, exitCode: 0 /* Ok */, next };
  return { decision: "refuse", reason, action, exitCode: 3 /* Refused */, next };
}
function nextStep(engagement, writesFiles) {
  if (engagement.merged.length > 0) return "update";
  if (writesFiles && (engagement.readOnly ?? []).length > 0) return "update";
  return "unlock";
}
function updateWindowRefusal(update, action) {
  const reason = update.running ? `guard update (pid ${update.pid}) is changing the base system` : `a guard update (pid ${update.pid}, started ${update.started}) was interrupted before it put the system back`;
  return { decision: "refuse", reason, action, exitCode: 3 /* Refused */, next: update.running ? "wait-for-update" : "finish-update" };
}
var NOT_ENGAGED = "no system extensions are merged and the database is writable";
function unknownStateRefusal(engagement, action) {
  return {
    decision: "refuse",
    reason: `cannot tell whether system extensions are merged or the database is locked: ${engagement.reason}`,
    action,
    exitCode: 4 /* StateUnknown */,
    next: "inspect"
  };
}
function engagedReason(engagement, writesFiles = true) {
  const parts = [];
  if (engagement.merged.length > 0) {
    const merged = engagement.merged.map((entry) => `${entry.hierarchy} (${entry.extensions.join(", ") || "unnamed"})`).join(", ");
    parts.push(`system extensions are merged on ${merged}`);
  }
  if (engagement.locked) parts.push(`${engagement.dbPath} is locked read-only`);
  if (writesFiles) parts.push(...(engagement.readOnly ?? []).map((entry) => entry.description));
  return parts.join(" and ");
}

// src/cli/judge.ts
import { realpath } from "node:fs/promises";

// src/system/pacman-version.ts
function variantsForVersion(versionOutput) {
  const match = /Pacman v(\d+)\.(\d+)\.(\d+)/.exec(versionOutput);
  if (!match) return void 0;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < 7) return ["6.0"];
  if (major === 7 && minor === 0) return ["7.0"];
  return ["7.1.0", "7.1.0+2df7c407"];
}
async function detectPacmanVariants(pacman, options = {}) {
  const ask = async () => (await runTool(pacman, ["--version"])).stdout;
  try {
    const identity = options.cache === false || !pacman.startsWith("/") ? void 0 : await binaryIdentity(pacman);
    const stdout = identity === void 0 ? await ask() : await cachedAnswer({ id: JSON.stringify(["pacman --version", pacman]), key: identity }, ask, options.cache || {});
    return variantsForVersion(stdout);
  } catch {
    return void 0;
  }
}

// src/cli/judge.ts
function parseForVariants(args, variants, env) {
  const posixlyCorrect = env.POSIXLY_CORRECT !== void 0;
  const candidates = variants.length > 0 ? variants : PACMAN_VARIANTS;
  const parsed = candidates.map((variant) => parsePacmanCommand(args, { variant, posixlyCorrect }));
  return parsed.find((command) => command.needsLock) ?? parsed.at(-1);
}
function variantsAgree(args, env) {
  const posixlyCorrect = env.POSIXLY_CORRECT !== void 0;
  const verdicts = new Set(PACMAN_VARIANTS.map((variant) => {
    const command = parsePacmanCommand(args, { variant, posixlyCorrect });
    return `${command.outcome}/${command.needsLock}/${command.rejection?.message ?? ""}`;
  }));
  return verdicts.size === 1;
}
async function canonical(path) {
  try {
    return await realpath(path);
  } catch {
    return void 0;
  }
}
async function actsOnHost(command, host) {
  const { root, dbPath, config, sysroot } = command.paths;
  if (root === void 0 && dbPath === void 0 && config === void 0 && sysroot === void 0) return true;
  if (sysroot !== void 0 && await canonical(sysroot) !== "/") return false;
  const effective = root !== void 0 || config !== void 0 ? await readPacmanConfig({ ...config ? { config } : {}, ...root ? { root } : {} }) : host;
  const [commandRoot, commandDb, hostRoot, hostDb] = await Promise.all([
    canonical(effective.rootDir),
    canonical(dbPath ?? effective.dbPath),
    canonical(host.rootDir),
    canonical(host.dbPath)
  ]);
  return commandRoot !== void 0 && commandRoot === hostRoot || commandDb !== void 0 && commandDb === hostDb;
}
async function judge(args, options) {
  const skipDetection = options.detectVersion === "when-needed" && variantsAgree(args, options.env);
  const detectedVariants = skipDetection ? void 0 : await detectPacmanVariants(options.realPacman);
  const variants = detectedVariants ?? PACMAN_VARIANTS;
  const command = parseForVariants(args, variants, options.env);
  const variantPart = { variants, detected: detectedVariants !== void 0 };
  const unknown = (reason) => ({ known: false, reason });
  if (command.outcome !== "run" || !command.needsLock) {
    return { command, ...variantPart, actsOnHost: true, verdict: decide(command, true, unknown("not probed"), options.policy) };
  }
  let host;
  try {
    host = await readPacmanConfig();
  } catch (error) {
    const engagement2 = unknown(describeError(error));
    return { command, ...variantPart, actsOnHost: true, engagement: engagement2, verdict: decide(command, true, engagement2, options.policy) };
  }
  let onHost;
  try {
    onHost = await actsOnHost(command, host);
  } catch (error) {
    onHost = true;
    const engagement2 = unknown(`cannot resolve the command's root and database: ${describeError(error)}`);
    return { command, ...variantPart, actsOnHost: onHost, engagement: engagement2, verdict: decide(command, onHost, engagement2, options.policy) };
  }
  if (!onHost) {
    return { command, ...variantPart, actsOnHost: false, verdict: decide(command, false, unknown("not probed"), options.policy) };
  }
  const state = await probeSystem({ dbPath: host.dbPath, skipTransaction: true });
  const engagement = engagementOf(state);
  return { command, ...variantPart, actsOnHost: true, state, engagement, verdict: decide(command, true, engagement, options.policy) };
}

export {
  describeAction,
  isEngaged,
  redirectKind,
  isRedirectable,
  installReasonTargets,
  decide,
  nextStep,
  updateWindowRefusal,
  NOT_ENGAGED,
  unknownStateRefusal,
  engagedReason,
  actsOnHost,
  judge
};
//# sourceMappingURL=chunk-EU7SIPEI.js.map
