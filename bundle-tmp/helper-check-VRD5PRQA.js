import {
  policyOrRefuse
} from "./chunk-463A5SXR.js";
import {
  HELPER_NAMES,
  helperSpec
} from "./chunk-YPDJNW7G.js";
import {
  NOT_ENGAGED,
  actsOnHost,
  describeAction,
  engagedReason,
  isEngaged,
  isRedirectable,
  nextStep,
  unknownStateRefusal,
  updateWindowRefusal
} from "./chunk-EU7SIPEI.js";
import {
  OPERATION_LONG_NAMES,
  PACMAN_VARIANTS,
  parsePacmanCommand
} from "./chunk-4WA2TRF5.js";
import {
  helperRefusalText
} from "./chunk-FBLWSKTN.js";
import "./chunk-YUQUC6CE.js";
import {
  processName,
  recordAudit
} from "./chunk-HVXMJR3L.js";
import {
  auditEntry
} from "./chunk-CN5PT5GW.js";
import "./chunk-LMKLE5DX.js";
import {
  engagementOf,
  probeSystem
} from "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/helpers/parse.ts
var ParseProblem = class {
  constructor(problem) {
    this.problem = problem;
  }
  problem;
};
var fail = (problem) => {
  throw new ParseProblem(problem);
};
function parseHelperCommand(helper, args) {
  try {
    return { ok: true, command: helper === "yay" ? parseYay(args) : parseParu(args) };
  } catch (error) {
    if (error instanceof ParseProblem) return { ok: false, problem: error.problem };
    throw error;
  }
}
function yayArgument(spec, name) {
  return name.length === 1 ? spec.shortOptions.get(name) : spec.longOptions.get(name);
}
function parseYay(args) {
  const spec = helperSpec("yay");
  let operation;
  const options = [];
  const targets = [];
  let stdin = false;
  let endOfOptions = false;
  const addParam = (name, value) => {
    if (name === "-") {
      stdin = true;
      return;
    }
    if (yayArgument(spec, name) === void 0) fail(`invalid option '${name}'`);
    const op = spec.operations.get(name);
    if (op !== void 0) {
      if (operation !== void 0) fail("only one operation may be used at a time");
      operation = op;
      return;
    }
    for (const part of value.split(",")) options.push({ name, value: part });
  };
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (endOfOptions) {
      targets.push(word);
    } else if (word === "--") {
      endOfOptions = true;
    } else if (word.startsWith("--")) {
      const body = word.slice(2);
      const equals = body.indexOf("=");
      if (equals !== -1) addParam(body.slice(0, equals), body.slice(equals + 1));
      else if (yayArgument(spec, body) === "required") addParam(body, args[++index] ?? "");
      else addParam(body, "");
    } else if (word.startsWith("-")) {
      if (word === "-") {
        stdin = true;
        continue;
      }
      const letters = word.slice(1);
      for (let position = 0; position < letters.length; position++) {
        const letter = letters[position];
        if (yayArgument(spec, letter) === "required") {
          const rest = letters.slice(position + 1);
          addParam(letter, rest !== "" ? rest : args[++index] ?? "");
          break;
        }
        addParam(letter, "");
      }
    } else {
      targets.push(word);
    }
  }
  let implied;
  if (operation === void 0) {
    if (targets.length > 0) {
      operation = "yay";
      implied = "targets";
    } else {
      operation = "sync";
      options.push({ name: "y", value: "" }, { name: "u", value: "" });
      implied = "sysupgrade";
    }
  }
  return { helper: "yay", operation, options, targets, readsTargetsFromStdin: stdin, ...implied ? { implied } : {} };
}
function parseParu(givenArgs) {
  const spec = helperSpec("paru");
  const implied = givenArgs.length === 0 ? "sysupgrade" : void 0;
  const args = implied ? ["-Syu"] : givenArgs;
  let operation;
  let operations = 0;
  const options = [];
  const targets = [];
  let endOfOptions = false;
  const handle = (name, long, value, forced) => {
    const display = long ? `--${name}` : `-${name}`;
    const argument = long ? spec.longOptions.get(name) : spec.shortOptions.get(name);
    if (argument === "required" && value === void 0) fail(`option ${display} expects a value`);
    if (argument === void 0) fail(`unknown option ${display}`);
    if (argument === "none" && forced) fail(`option ${display} does not allow a value`);
    const kept = argument === "required" || forced ? value : void 0;
    const op = spec.operations.get(name);
    if (op !== void 0) {
      operation = op;
      operations++;
      if (operations > 1) fail("only one operation may be used at a time");
      return;
    }
    options.push(kept === void 0 ? { name } : { name, value: kept });
  };
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    const next = args[index + 1];
    if (word === "-" || endOfOptions) {
      targets.push(word);
    } else if (word === "--") {
      endOfOptions = true;
    } else if (word.startsWith("--")) {
      const body = word.slice(2);
      const equals = body.indexOf("=");
      const name = equals === -1 ? body : body.slice(0, equals);
      if (equals !== -1) {
        handle(name, true, body.slice(equals + 1), true);
      } else if (spec.longOptions.get(name) === "required") {
        handle(name, true, next, false);
        index++;
      } else {
        handle(name, true, next, false);
      }
    } else if (word.startsWith("-")) {
      const letters = word.slice(1);
      for (let position = 0; position < letters.length; position++) {
        const letter = letters[position];
        if (spec.shortOptions.get(letter) === "required") {
          const rest = letters.slice(position + 1);
          if (rest === "") {
            handle(letter, false, next, false);
            index++;
          } else {
            handle(letter, false, rest, false);
          }
          break;
        }
        handle(letter, false, void 0, false);
      }
    } else {
      targets.push(word);
    }
  }
  const stdin = targets.includes("-");
  return {
    helper: "paru",
    ...operation === void 0 ? {} : { operation },
    options,
    targets: stdin ? targets.filter((target, index) => target !== "-" || index !== targets.indexOf("-")) : targets,
    readsTargetsFromStdin: stdin,
    ...implied ? { implied } : {}
  };
}

// src/helpers/classify.ts
var Line = class {
  constructor(parsed) {
    this.parsed = parsed;
  }
  parsed;
  get targets() {
    return this.parsed.targets.length > 0 || this.parsed.readsTargetsFromStdin;
  }
  /** yay ExistsArg / paru has_arg: any of the spellings given. */
  has(...names) {
    return this.parsed.options.some((option) => names.includes(option.name));
  }
  /** paru count(): occurrences of all spellings together. */
  count(...names) {
    return this.parsed.options.filter((option) => names.includes(option.name)).length;
  }
  /** yay ExistsDouble: the first spelling present decides, given at least twice. */
  double(...names) {
    const present = names.find((name) => this.has(name));
    return present !== void 0 && this.count(present) >= 2;
  }
  last(...names) {
    return this.parsed.options.filter((option) => names.includes(option.name) && option.value !== void 0).at(-1)?.value;
  }
};
function pathsOf(line) {
  const root = line.last("root", "r");
  const dbPath = line.last("dbpath", "b");
  const config = line.last("config");
  const sysroot = line.last("sysroot");
  return {
    ...root === void 0 ? {} : { root },
    ...dbPath === void 0 ? {} : { dbPath },
    ...config === void 0 ? {} : { config },
    ...sysroot === void 0 ? {} : { sysroot }
  };
}
function pacmanArgsFor(parsed, operation, targets = parsed.targets) {
  const spec = helperSpec(parsed.helper);
  const words = [`--${OPERATION_LONG_NAMES[operation]}`];
  for (const option of parsed.options) {
    if (!spec.passesToPacman(option.name)) continue;
    const short = option.name.length === 1;
    const argument = short ? spec.shortOptions.get(option.name) : spec.longOptions.get(option.name);
    if (argument !== "required" || option.value === void 0) words.push(short ? `-${option.name}` : `--${option.name}`);
    else words.push(short ? `-${option.name}${option.value}` : `--${option.name}=${option.value}`);
  }
  words.push("--", ...targets);
  if (parsed.readsTargetsFromStdin && !targets.includes("-")) words.push("-");
  return words;
}
function pacmanReading(args) {
  const readings = PACMAN_VARIANTS.map((variant) => parsePacmanCommand(args, { variant }));
  return readings.find((command) => command.needsLock) ?? readings.at(-1);
}
var readOnly = (operation, action) => ({ operation, effect: "read-only", action, redirectable: false });
function passThrough(line, operation, helperOperation = operation) {
  const pacmanArgs = pacmanArgsFor(line.parsed, operation);
  const command = pacmanReading(pacmanArgs);
  if (command.outcome === "rejected") {
    return { ...readOnly(helperOperation, `nothing: pacman rejects it (${command.rejection?.message})`), pacmanArgs };
  }
  return {
    operation: helperOperation,
    effect: command.needsLock ? "mutating" : "read-only",
    action: describeAction(command),
    redirectable: command.needsLock && isRedirectable(command),
    pacmanArgs
  };
}
function likePacmanArgs(parsed, like, targets) {
  const words = pacmanArgsFor(parsed, like, targets);
  const separator = words.indexOf("--");
  const accepted = words.slice(1, separator).filter((word) => PACMAN_VARIANTS.some((variant) => parsePacmanCommand([words[0], word, "--", "target"], { variant }).rejection?.stage !== "parse"));
  return [words[0], ...accepted, ...words.slice(separator)];
}
function ownWork(line, operation, like, action, targets) {
  const command = pacmanReading(likePacmanArgs(line.parsed, like, targets ?? line.parsed.targets));
  const runs = command.outcome === "run";
  return {
    operation,
    effect: "mutating",
    action: action ?? (runs ? describeAction(command) : like === "remove" ? "removing packages" : "installing packages"),
    redirectable: runs && isRedirectable(command)
  };
}
function classifyYay(line) {
  const operation = line.parsed.operation;
  if (line.has("h", "help")) return readOnly(operation, "printing help");
  switch (operation) {
    case "version":
      return readOnly(operation, "printing its version");
    case "database":
    case "files":
    case "deptest":
    case "upgrade":
    case "remove":
      return passThrough(line, operation);
    case "query":
      if (line.has("u", "upgrades")) return readOnly(operation, "listing available upgrades");
      return passThrough(line, operation);
    case "sync":
      return classifyYaySync(line);
    case "build":
      if (line.has("i", "install")) return ownWork(line, operation, "upgrade", "building and installing packages from PKGBUILDs");
      return readOnly(operation, "nothing (-B builds and installs only with -i)");
    case "getpkgbuild":
      return readOnly(operation, line.has("p", "print") ? "printing PKGBUILDs" : "downloading PKGBUILDs into the current directory");
    case "show":
      return readOnly(operation, "printing information");
    case "web":
      return readOnly(operation, "voting for AUR packages");
    case "yay":
      if (line.has("gendb")) return readOnly(operation, "generating yay's development package database");
      if (line.double("c") || line.has("c", "clean")) {
        return ownWork(line, operation, "remove", "removing unneeded dependencies", ["(unneeded dependencies)"]);
      }
      if (line.targets) return ownWork(line, operation, "sync", "searching and installing packages");
      return readOnly(operation, "nothing (no targets)");
    default:
      return { operation, effect: "mutating", action: `an operation yay has that pacman-guard does not know (${operation})`, redirectable: false, unknown: `unknown operation ${operation}` };
  }
}
function classifyYaySync(line) {
  if (line.has("s", "search")) return readOnly("sync", "searching the repositories and the AUR");
  if (line.has("p", "print", "print-format")) return passThrough(line, "sync");
  if (line.has("c", "clean")) {
    if (line.has("a", "aur") && !line.has("N", "repo")) return readOnly("sync", "cleaning yay's build cache");
    return passThrough(line, "sync");
  }
  if (line.has("l", "list") || line.has("g", "groups") || line.has("i", "info")) return passThrough(line, "sync");
  if (line.has("u", "sysupgrade") || line.targets) return ownWork(line, "sync", "sync");
  if (line.has("y", "refresh")) return passThrough(line, "sync");
  return readOnly("sync", "nothing (no targets)");
}
function paruRepoMode(line) {
  let repo;
  for (const option of line.parsed.options) {
    if (option.name === "a" || option.name === "aur" || option.name === "pkgbuilds") repo = false;
    else if (option.name === "repo") repo = true;
    else if (option.name === "mode") {
      for (const word of (option.value ?? "").split(",")) {
        if (word === "all" || word === "repo" || word !== "aur" && /^[arp]+$/.test(word) && word.includes("r")) repo = true;
      }
    }
  }
  return repo;
}
function classifyParu(line) {
  const operation = line.parsed.operation ?? "default";
  if (line.has("h", "help")) return readOnly(operation, "printing help");
  if (line.has("V", "version")) return readOnly(operation, "printing its version");
  const interactive = line.has("interactive");
  switch (operation) {
    case "database":
    case "files":
      return passThrough(line, operation);
    case "upgrade":
      if (!line.targets) return ownWork(line, operation, "upgrade", "building and installing the PKGBUILD in the current directory", ["."]);
      return passThrough(line, operation);
    case "build":
      if (!line.targets) return readOnly(operation, "nothing: paru rejects it (no targets specified)");
      return ownWork(line, operation, "upgrade", line.has("i", "install") ? "building and installing packages from PKGBUILDs" : "building packages from PKGBUILDs (installing their missing dependencies)");
    case "query":
      if (line.has("s", "search") && interactive) return readOnly(operation, "searching installed packages");
      if (line.has("u", "upgrades")) return readOnly(operation, "listing available upgrades");
      return passThrough(line, operation);
    case "sync":
      return classifyParuSync(line, interactive);
    case "remove":
      if (interactive) return ownWork(line, operation, "remove", "removing packages", ["(picked interactively)"]);
      return passThrough(line, operation);
    case "deptest":
      if (line.has("a", "aur")) return readOnly(operation, "testing dependencies against the AUR");
      return passThrough(line, operation);
    case "getpkgbuild":
      return readOnly(operation, line.has("p", "print") ? "printing PKGBUILDs" : line.count("c", "comments") > 0 ? "printing AUR comments" : "downloading PKGBUILDs into the current directory");
    case "show":
      return readOnly(operation, "printing information");
    case "repoctl": {
      const changes = line.count("c", "clean") > 0 || line.has("y", "refresh") || line.has("u", "sysupgrade") || line.count("d", "delete") > 0;
      if (changes) return { operation, effect: "mutating", action: "changing local repositories and their sync databases", redirectable: false };
      return readOnly(operation, "listing local repositories");
    }
    case "chrootctl":
      return readOnly(operation, "working in the build chroot, not on this system");
    case "default":
      if (line.has("gendb")) return readOnly(operation, "generating paru's development package database");
      if (line.count("c", "clean") > 0) return ownWork(line, operation, "remove", "removing unneeded dependencies", ["(unneeded dependencies)"]);
      if (line.targets) return ownWork(line, operation, "sync", "searching and installing packages");
      return readOnly(operation, "nothing: paru rejects it (no operation specified)");
    default:
      return { operation, effect: "mutating", action: `an operation paru has that pacman-guard does not know (${operation})`, redirectable: false, unknown: `unknown operation ${operation}` };
  }
}
function classifyParuSync(line, interactive) {
  if (line.has("i", "info")) return passThrough(line, "sync");
  if (line.has("c", "clean")) {
    if (paruRepoMode(line) === false) return readOnly("sync", "cleaning paru's build cache");
    return passThrough(line, "sync");
  }
  if (line.has("l", "list")) return passThrough(line, "sync");
  if (line.has("s", "search")) return readOnly("sync", "searching the repositories and the AUR");
  if (line.has("g", "groups") || line.has("p", "print", "print-format")) return passThrough(line, "sync");
  if (!line.targets && !line.has("y", "refresh") && !line.has("u", "sysupgrade") && !interactive) return readOnly("sync", "nothing (no targets)");
  return ownWork(line, "sync", "sync");
}
function classifyHelperCommand(helper, args) {
  const parse = parseHelperCommand(helper, args);
  if (!parse.ok) {
    return {
      helper,
      args,
      effect: "mutating",
      action: `a command line pacman-guard cannot read: ${parse.problem}`,
      unknown: parse.problem,
      redirectable: false,
      paths: {}
    };
  }
  const line = new Line(parse.command);
  const classified = helper === "yay" ? classifyYay(line) : classifyParu(line);
  return { helper, args, ...classified, paths: pathsOf(line) };
}

// src/helpers/decide.ts
function decideHelper(command, actsOnHost2, engagement, policy = "refuse") {
  const { action } = command;
  const allow = (reason2) => ({ decision: "allow", reason: reason2, action, exitCode: 0 /* Ok */ });
  if (command.effect === "read-only") return allow(`${command.helper}: ${action}, which does not change the system`);
  if (!actsOnHost2) return allow(`${action} acts on another root and database, not this system's`);
  if (!engagement.known) return unknownStateRefusal(engagement, action);
  if (engagement.update) return updateWindowRefusal(engagement.update, action);
  if (!isEngaged(engagement) && (engagement.readOnly ?? []).length === 0) return allow(NOT_ENGAGED);
  const reason = engagedReason(engagement);
  if (policy === "redirect" && command.redirectable) {
    return allow(`${reason}; Policy = redirect: the pacman shim builds system extensions from what ${command.helper} installs`);
  }
  return { decision: "refuse", reason, action, exitCode: 3 /* Refused */, next: nextStep(engagement, true) };
}

// src/cli/commands/helper-check.ts
async function situation(command) {
  let host;
  try {
    host = await readPacmanConfig();
  } catch (error) {
    return { onHost: true, engagement: { known: false, reason: describeError(error) }, logFile: "/var/log/pacman.log" };
  }
  let onHost = true;
  try {
    onHost = await actsOnHost(command, host);
  } catch (error) {
    return { onHost, engagement: { known: false, reason: `cannot resolve the command's root and database: ${describeError(error)}` }, logFile: host.logFile };
  }
  if (!onHost) return { onHost, engagement: { known: false, reason: "not probed" }, logFile: host.logFile };
  const state = await probeSystem({ dbPath: host.dbPath, skipTransaction: true });
  return { onHost, engagement: engagementOf(state), logFile: host.logFile };
}
var helperCheckCommand = {
  name: "helper-check",
  usage: `guard helper-check ${HELPER_NAMES.join("|")} -- <helper arguments>`,
  options: [],
  passesHelpThrough: true,
  async run(context) {
    const [helper, ...rest] = context.args;
    if (!HELPER_NAMES.includes(helper)) {
      throw new GuardError(`helper-check: expected ${HELPER_NAMES.join(" or ")}, got '${helper ?? ""}'`, { exitCode: 2 /* Usage */ });
    }
    const args = rest[0] === "--" ? rest.slice(1) : rest;
    const command = classifyHelperCommand(helper, args);
    if (command.effect === "read-only") return 0 /* Ok */;
    const { onHost, engagement, logFile } = await situation(command);
    const policy = onHost && isEngaged(engagement) && command.redirectable ? await policyOrRefuse(context.output) : "refuse";
    const verdict = decideHelper(command, onHost, engagement, policy);
    if (verdict.decision === "allow") return 0 /* Ok */;
    const uid = process.getuid?.() ?? -1;
    const text = helperRefusalText(verdict, engagement, command.helper, args, uid === 0, command.redirectable);
    context.output.error(text.message, ...text.details);
    const parent = await processName(Number(context.env.PACMAN_GUARD_CALLER_PID ?? process.ppid));
    const event = verdict.exitCode === 4 /* StateUnknown */ ? "refused (state unknown)" : "refused";
    const warnings = await recordAudit(auditEntry(context.env, { parent, argv: [command.helper, ...args], event, reason: verdict.reason }), { logFile });
    for (const warning of warnings) context.output.warning(warning);
    return verdict.exitCode;
  }
};
export {
  helperCheckCommand
};
//# sourceMappingURL=helper-check-VRD5PRQA.js.map
