// src/pacman/getopt.ts
var compiledSpecs = /* @__PURE__ */ new WeakMap();
function compile(spec) {
  let compiled = compiledSpecs.get(spec);
  if (compiled) return compiled;
  const shortArgument = /* @__PURE__ */ new Map();
  const letters = spec.shortOptions;
  for (let i = 0; i < letters.length; i++) {
    const letter = letters[i];
    if (letter === ":" || letter === ";") continue;
    let kind = "none";
    if (letters[i + 1] === ":") {
      kind = letters[i + 2] === ":" ? "optional" : "required";
    }
    shortArgument.set(letter, kind);
  }
  const exactLong = new Map(spec.longOptions.map((option) => [option.name, option]));
  compiled = { shortArgument, longOptions: spec.longOptions, exactLong };
  compiledSpecs.set(spec, compiled);
  return compiled;
}
function findLongOption(spec, name) {
  const exact = spec.exactLong.get(name);
  if (exact) return exact;
  let found;
  for (const option of spec.longOptions) {
    if (!option.name.startsWith(name)) continue;
    if (found) return "ambiguous";
    found = option;
  }
  return found;
}
function getoptLong(spec, args, options = {}) {
  const compiled = compile(spec);
  const parsed = [];
  const operands = [];
  let index = 0;
  while (index < args.length) {
    const word = args[index];
    if (word === "--") {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (word.length < 2 || word[0] !== "-") {
      if (options.posixlyCorrect) {
        operands.push(...args.slice(index));
        break;
      }
      operands.push(word);
      index++;
      continue;
    }
    index++;
    if (word[1] === "-") {
      const body = word.slice(2);
      const equals = body.indexOf("=");
      const name = equals === -1 ? body : body.slice(0, equals);
      const option = findLongOption(compiled, name);
      if (option === "ambiguous") return { ok: false, message: `option '${word}' is ambiguous` };
      if (!option) return { ok: false, message: `unrecognized option '${word}'` };
      if (equals !== -1) {
        if (option.argument === "none") {
          return { ok: false, message: `option '--${option.name}' doesn't allow an argument` };
        }
        parsed.push({ code: option.code, argument: body.slice(equals + 1), display: `--${option.name}` });
      } else if (option.argument === "required") {
        if (index >= args.length) return { ok: false, message: `option '--${option.name}' requires an argument` };
        parsed.push({ code: option.code, argument: args[index++], display: `--${option.name}` });
      } else {
        parsed.push({ code: option.code, display: `--${option.name}` });
      }
      continue;
    }
    for (let position = 1; position < word.length; position++) {
      const letter = word[position];
      const kind = compiled.shortArgument.get(letter);
      if (kind === void 0) return { ok: false, message: `invalid option -- '${letter}'` };
      const rest = word.slice(position + 1);
      if (kind === "none") {
        parsed.push({ code: letter, display: `-${letter}` });
        continue;
      }
      if (rest !== "") {
        parsed.push({ code: letter, argument: rest, display: `-${letter}` });
      } else if (kind === "optional") {
        parsed.push({ code: letter, display: `-${letter}` });
      } else if (index < args.length) {
        parsed.push({ code: letter, argument: args[index++], display: `-${letter}` });
      } else {
        return { ok: false, message: `option requires an argument -- '${letter}'` };
      }
      break;
    }
  }
  return { ok: true, options: parsed, operands };
}

// src/pacman/options.ts
var PACMAN_VARIANTS = ["6.0", "7.0", "7.1.0", "7.1.0+2df7c407"];
var NEWEST_PACMAN_VARIANT = "7.1.0+2df7c407";
var OPERATION_LETTERS = {
  D: "database",
  F: "files",
  Q: "query",
  R: "remove",
  S: "sync",
  T: "deptest",
  U: "upgrade"
};
var OPERATION_LONG_NAMES = {
  database: "database",
  files: "files",
  query: "query",
  remove: "remove",
  sync: "sync",
  deptest: "deptest",
  upgrade: "upgrade"
};
var SHORT_OPTIONS = "DFQRSTUVb:cdefghiklmnopqr:stuvwxy";
var sw = (flag, short, extra = {}) => ({ flag, effect: "switch", ...short ? { short } : {}, ...extra });
var value = (flag, short, extra = {}) => ({ flag, effect: "value", ...short ? { short } : {}, ...extra });
var list = (flag, extra = {}) => ({ flag, effect: "list", ...extra });
var C_SPACE = /^[ \t\n\v\f\r]*/;
function strtolWhole(text) {
  const match = /^([+-]?)(\d+)$/.exec(text.replace(C_SPACE, ""));
  if (!match) return void 0;
  const magnitude = BigInt(match[2]);
  const number = match[1] === "-" ? -magnitude : magnitude;
  if (number > 9223372036854775807n || number < -9223372036854775808n) return void 0;
  return number;
}
function atoi(text) {
  const match = /^([+-]?)(\d+)/.exec(text.replace(C_SPACE, ""));
  if (!match) return 0;
  let number = BigInt(match[2]);
  if (match[1] === "-") number = -number;
  if (number > 9223372036854775807n) number = 9223372036854775807n;
  if (number < -9223372036854775808n) number = -9223372036854775808n;
  return Number(BigInt.asIntN(32, number));
}
var validateColor = (argument) => argument === "never" || argument === "auto" || argument === "always" ? void 0 : `invalid argument '${argument}' for --color`;
var validateDebug = (argument, variant) => {
  if (argument === void 0) return void 0;
  let level;
  if (variant === "6.0") {
    level = atoi(argument) & 65535;
  } else {
    level = strtolWhole(argument);
  }
  return level === 1 || level === 2 || level === 1n || level === 2n ? void 0 : `'${argument}' is not a valid debug level`;
};
var validateAsk = (argument, variant) => {
  if (variant === "6.0" || argument === void 0) return void 0;
  const level = strtolWhole(argument);
  return level !== void 0 && level <= 4294967295n ? void 0 : `'${argument}' is not a valid ask level`;
};
var GLOBAL_MODIFIERS = [
  list("arch"),
  value("ask", void 0, { validate: validateAsk }),
  list("cachedir"),
  value("color", void 0, { validate: validateColor }),
  value("config"),
  sw("debug", void 0, { validate: validateDebug }),
  value("gpgdir"),
  list("hookdir"),
  value("logfile"),
  sw("noconfirm"),
  sw("confirm"),
  value("dbpath", "b"),
  value("root", "r"),
  value("sysroot"),
  sw("disable-download-timeout"),
  sw("disable-sandbox", void 0, { since: "7.0" }),
  // The 7.1.0 tag handles these two here but lacks them in getopt's table,
  // where only 2df7c407 adds them: on the tag getopt never returns them.
  sw("disable-sandbox-filesystem", void 0, { since: "7.1.0" }),
  sw("disable-sandbox-syscalls", void 0, { since: "7.1.0" }),
  sw("verbose", "v")
];
var TRANSACTION_MODIFIERS = [
  sw("nodeps", "d"),
  sw("dbonly", void 0, { implies: ["noscriptlet"] }),
  sw("noprogressbar"),
  sw("noscriptlet"),
  sw("print", "p"),
  value("print-format", void 0, { implies: ["print"] }),
  list("assume-installed")
];
var REMOVE_MODIFIERS = [
  ...TRANSACTION_MODIFIERS,
  sw("cascade", "c"),
  sw("nosave", "n"),
  sw("recursive", "s"),
  sw("unneeded", "u")
];
var UPGRADE_MODIFIERS = [
  ...TRANSACTION_MODIFIERS,
  list("overwrite"),
  sw("asdeps"),
  sw("asexplicit"),
  sw("needed"),
  list("ignore"),
  list("ignoregroup"),
  sw("downloadonly", "w")
];
var SYNC_MODIFIERS = [
  ...UPGRADE_MODIFIERS,
  sw("clean", "c"),
  sw("groups", "g"),
  sw("info", "i"),
  sw("list", "l"),
  sw("quiet", "q"),
  sw("search", "s"),
  sw("sysupgrade", "u"),
  sw("refresh", "y")
];
var FILES_MODIFIERS = [
  ...TRANSACTION_MODIFIERS,
  sw("list", "l"),
  sw("refresh", "y"),
  sw("regex", "x"),
  sw("machinereadable"),
  sw("quiet", "q")
];
var DATABASE_MODIFIERS = [
  sw("asdeps"),
  sw("asexplicit"),
  sw("check", "k"),
  sw("quiet", "q")
];
var QUERY_MODIFIERS = [
  sw("changelog", "c"),
  sw("deps", "d"),
  sw("explicit", "e"),
  sw("groups", "g"),
  sw("info", "i"),
  sw("check", "k"),
  sw("list", "l"),
  sw("foreign", "m"),
  sw("native", "n"),
  sw("owns", "o"),
  sw("file", "p"),
  sw("quiet", "q"),
  sw("search", "s"),
  sw("unrequired", "t"),
  sw("upgrades", "u")
];
var OPERATION_MODIFIERS = {
  database: DATABASE_MODIFIERS,
  files: FILES_MODIFIERS,
  query: QUERY_MODIFIERS,
  remove: REMOVE_MODIFIERS,
  sync: SYNC_MODIFIERS,
  deptest: [],
  upgrade: UPGRADE_MODIFIERS
};
var longCode = (name) => `--${name}`;
var LONG_OPTION_TABLE = [
  ["database", "none", "D"],
  ["files", "none", "F"],
  ["query", "none", "Q"],
  ["remove", "none", "R"],
  ["sync", "none", "S"],
  ["deptest", "none", "T"],
  ["upgrade", "none", "U"],
  ["version", "none", "V"],
  ["help", "none", "h"],
  ["dbpath", "required"],
  ["cascade", "none"],
  ["changelog", "none"],
  ["clean", "none"],
  ["nodeps", "none"],
  ["deps", "none"],
  ["explicit", "none"],
  ["groups", "none"],
  ["info", "none"],
  ["check", "none"],
  ["list", "none"],
  ["foreign", "none"],
  ["native", "none"],
  ["nosave", "none"],
  ["owns", "none"],
  ["file", "none"],
  ["print", "none"],
  ["quiet", "none"],
  ["root", "required"],
  ["sysroot", "required"],
  ["recursive", "none"],
  ["search", "none"],
  ["regex", "none"],
  ["machinereadable", "none"],
  ["unrequired", "none"],
  ["upgrades", "none"],
  ["sysupgrade", "none"],
  ["unneeded", "none"],
  ["verbose", "none"],
  ["downloadonly", "none"],
  ["refresh", "none"],
  ["noconfirm", "none"],
  ["confirm", "none"],
  ["config", "required"],
  ["ignore", "required"],
  ["assume-installed", "required"],
  ["debug", "optional"],
  // In getopt's table but handled by no parsearg_* function: "invalid option '--force'".
  ["force", "none"],
  ["overwrite", "required"],
  ["noprogressbar", "none"],
  ["noscriptlet", "none"],
  ["ask", "required"],
  ["cachedir", "required"],
  ["hookdir", "required"],
  ["asdeps", "none"],
  ["logfile", "required"],
  ["ignoregroup", "required"],
  ["needed", "none"],
  ["asexplicit", "none"],
  ["arch", "required"],
  ["print-format", "required"],
  ["gpgdir", "required"],
  ["dbonly", "none"],
  ["color", "required"],
  ["disable-download-timeout", "none"],
  ["disable-sandbox", "none", void 0, "7.0"],
  // Not in the 7.1.0 tag's table (so `--disable-s` there is `--disable-sandbox`);
  // upstream 2df7c407, the first commit after the tag, adds them.
  ["disable-sandbox-filesystem", "none", void 0, "7.1.0+2df7c407"],
  ["disable-sandbox-syscalls", "none", void 0, "7.1.0+2df7c407"]
];
function isAvailableIn(since, variant) {
  return since === void 0 || PACMAN_VARIANTS.indexOf(since) <= PACMAN_VARIANTS.indexOf(variant);
}
var getoptSpecs = new Map(
  PACMAN_VARIANTS.map((variant) => {
    const longOptions = LONG_OPTION_TABLE.filter(([, , , since]) => isAvailableIn(since, variant)).map(([name, argument, shortCode]) => ({ name, argument, code: shortCode ?? longCode(name) }));
    return [variant, { shortOptions: SHORT_OPTIONS, longOptions }];
  })
);
function getoptSpecFor(variant) {
  return getoptSpecs.get(variant);
}
function modifierCodes(modifier) {
  const codes = [longCode(modifier.flag)];
  if (modifier.short) codes.push(modifier.short);
  return codes;
}

// src/pacman/model.ts
var lookups = /* @__PURE__ */ new Map();
function lookupFor(operation, variant) {
  const key = `${operation ?? "none"}@${variant}`;
  let lookup = lookups.get(key);
  if (lookup) return lookup;
  const byCode = /* @__PURE__ */ new Map();
  const groups = [operation ? OPERATION_MODIFIERS[operation] : [], GLOBAL_MODIFIERS];
  for (const group of groups) {
    for (const modifier of group) {
      if (!isAvailableIn(modifier.since, variant)) continue;
      for (const code of modifierCodes(modifier)) {
        if (!byCode.has(code)) byCode.set(code, modifier);
      }
    }
  }
  lookup = { byCode };
  lookups.set(key, lookup);
  return lookup;
}
var RejectionSignal = class {
  constructor(rejection) {
    this.rejection = rejection;
  }
  rejection;
};
function reject(message, stage = "parse") {
  throw new RejectionSignal({ message, stage });
}
function parsePacmanCommand(args, options = {}) {
  const variant = options.variant ?? NEWEST_PACMAN_VARIANT;
  const flags = /* @__PURE__ */ new Map();
  const values = /* @__PURE__ */ new Map();
  let operation;
  let targets = [];
  const result = (outcome, rejection) => {
    const has = (flag) => (flags.get(flag) ?? 0) > 0;
    const paths = {
      ...definedLast("root", values),
      ...definedLast("dbPath", values, "dbpath"),
      ...definedLast("config", values),
      ...definedLast("sysroot", values)
    };
    const runs = outcome === "run";
    return {
      variant,
      outcome,
      ...rejection === void 0 ? {} : { rejection },
      ...operation === void 0 ? {} : { operation },
      flags,
      values,
      targets,
      readsTargetsFromStdin: targets.includes("-"),
      paths,
      needsRoot: runs && needsRoot(operation, has, variant),
      needsLock: runs && needsLock(operation, has, targets.length > 0),
      changesFiles: runs && changesFiles(operation, has, targets.length > 0)
    };
  };
  const parsed = getoptLong(getoptSpecFor(variant), args, { posixlyCorrect: options.posixlyCorrect ?? false });
  if (!parsed.ok) return result("rejected", { message: parsed.message, stage: "parse" });
  let conflictingOperations = false;
  let help = false;
  let showVersion = false;
  for (const option of parsed.options) {
    const letterOperation = OPERATION_LETTERS[option.code];
    if (letterOperation) {
      if (operation !== void 0 || conflictingOperations) conflictingOperations = true;
      else operation = letterOperation;
    } else if (option.code === "h") help = true;
    else if (option.code === "V") showVersion = true;
  }
  if (conflictingOperations) {
    operation = void 0;
    return result("rejected", { message: "only one operation may be used at a time", stage: "parse" });
  }
  if (help) return result("help");
  if (showVersion) return result("version");
  try {
    const lookup = lookupFor(operation, variant);
    for (const option of parsed.options) {
      if (OPERATION_LETTERS[option.code] || option.code === "h" || option.code === "V") continue;
      const modifier = lookup.byCode.get(option.code);
      if (!modifier) reject(`invalid option '${option.display}'`);
      const invalid = modifier.validate?.(option.argument, variant);
      if (invalid) reject(invalid);
      apply(modifier, option.argument, flags, values);
    }
    targets = parsed.operands;
    checkCombinations(operation, flags);
    checkOperationTargets(operation, flags, targets);
  } catch (error) {
    if (error instanceof RejectionSignal) return result("rejected", error.rejection);
    throw error;
  }
  return result("run");
}
function definedLast(key, values, flag = key) {
  const all = values.get(flag);
  const last = all?.[all.length - 1];
  return last === void 0 ? {} : { [key]: last };
}
function apply(modifier, argument, flags, values) {
  for (const flag of [modifier.flag, ...modifier.implies ?? []]) {
    flags.set(flag, (flags.get(flag) ?? 0) + 1);
  }
  if (argument === void 0) return;
  const existing = values.get(modifier.flag) ?? [];
  switch (modifier.effect) {
    case "list":
      values.set(modifier.flag, [...existing, ...argument.split(",").filter((item) => item !== "")]);
      break;
    case "value":
      values.set(modifier.flag, [...existing, argument]);
      break;
    case "switch":
      break;
  }
}
function checkCombinations(operation, flags) {
  const has = (flag) => (flags.get(flag) ?? 0) > 0;
  const invalidTogether = (used, first, second) => {
    if (used) reject(`invalid option: '${first}' and '${second}' may not be used together`);
  };
  const transaction = () => {
    if (has("print")) {
      invalidTogether(has("dbonly"), "--print", "--dbonly");
      invalidTogether(has("noscriptlet"), "--print", "--noscriptlet");
    }
  };
  const upgrade = () => {
    transaction();
    invalidTogether(has("asdeps") && has("asexplicit"), "--asdeps", "--asexplicit");
  };
  const queryDisplay = (name) => {
    invalidTogether(has("changelog"), name, "--changelog");
    invalidTogether(has("check"), name, "--check");
    invalidTogether(has("info"), name, "--info");
    invalidTogether(has("list"), name, "--list");
  };
  const queryFilter = (name) => {
    invalidTogether(has("deps"), name, "--deps");
    invalidTogether(has("explicit"), name, "--explicit");
    invalidTogether(has("upgrades"), name, "--upgrade");
    invalidTogether(has("unrequired"), name, "--unrequired");
    invalidTogether(has("native"), name, "--native");
    invalidTogether(has("foreign"), name, "--foreign");
  };
  switch (operation) {
    case "database":
      invalidTogether(has("asdeps") && has("asexplicit"), "--asdeps", "--asexplicit");
      if (has("check")) {
        invalidTogether(has("asdeps"), "--asdeps", "--check");
        invalidTogether(has("asexplicit"), "--asexplicit", "--check");
      }
      break;
    case "query":
      if (has("file")) {
        invalidTogether(has("groups"), "--file", "--groups");
        invalidTogether(has("search"), "--file", "--search");
        invalidTogether(has("owns"), "--file", "--owns");
      } else if (has("search")) {
        invalidTogether(has("groups"), "--search", "--groups");
        invalidTogether(has("owns"), "--search", "--owns");
        queryDisplay("--search");
        queryFilter("--search");
      } else if (has("owns")) {
        invalidTogether(has("groups"), "--owns", "--groups");
        queryDisplay("--owns");
        queryFilter("--owns");
      } else if (has("groups")) {
        queryDisplay("--groups");
      }
      invalidTogether(has("deps") && has("explicit"), "--deps", "--explicit");
      invalidTogether(has("native") && has("foreign"), "--native", "--foreign");
      break;
    case "remove":
      transaction();
      if (has("nosave")) {
        invalidTogether(has("print"), "--nosave", "--print");
        invalidTogether(has("dbonly"), "--nosave", "--dbonly");
      }
      break;
    case "upgrade":
      upgrade();
      break;
    case "sync":
      upgrade();
      if (has("clean")) {
        invalidTogether(has("groups"), "--clean", "--groups");
        invalidTogether(has("info"), "--clean", "--info");
        invalidTogether(has("list"), "--clean", "--list");
        invalidTogether(has("refresh"), "--clean", "--refresh");
        invalidTogether(has("search"), "--clean", "--search");
        invalidTogether(has("sysupgrade"), "--clean", "--sysupgrade");
        invalidTogether(has("downloadonly"), "--clean", "--downloadonly");
      } else if (has("info")) {
        invalidTogether(has("groups"), "--info", "--groups");
        invalidTogether(has("list"), "--info", "--list");
        invalidTogether(has("search"), "--info", "--search");
        invalidTogether(has("sysupgrade"), "--info", "--sysupgrade");
        invalidTogether(has("downloadonly"), "--info", "--downloadonly");
      } else if (has("search")) {
        invalidTogether(has("groups"), "--search", "--groups");
        invalidTogether(has("list"), "--search", "--list");
        invalidTogether(has("sysupgrade"), "--search", "--sysupgrade");
        invalidTogether(has("downloadonly"), "--search", "--downloadonly");
      } else if (has("list")) {
        invalidTogether(has("groups"), "--list", "--groups");
        invalidTogether(has("sysupgrade"), "--list", "--sysupgrade");
        invalidTogether(has("downloadonly"), "--list", "--downloadonly");
      } else if (has("groups")) {
        invalidTogether(has("sysupgrade"), "--groups", "--sysupgrade");
        invalidTogether(has("downloadonly"), "--groups", "--downloadonly");
      }
      break;
    // checkargs_files() only looks at a flag -F can never set; -T and no operation have no checks.
    case "files":
    case "deptest":
    case void 0:
      break;
  }
}
var NO_TARGETS = "no targets specified (use -h for help)";
var rejectNoTargets = () => reject(NO_TARGETS, "operation");
function checkOperationTargets(operation, flags, targets) {
  const has = (flag) => (flags.get(flag) ?? 0) > 0;
  const none = targets.length === 0;
  switch (operation) {
    case void 0:
      reject("no operation specified (use -h for help)", "operation");
      break;
    case "remove":
    case "upgrade":
      if (none) rejectNoTargets();
      break;
    case "database":
      if (none && (has("asdeps") || has("asexplicit"))) rejectNoTargets();
      break;
    case "sync":
      if (none && !has("clean") && !has("refresh") && !has("search") && !has("groups") && !has("info") && !has("list") && !has("sysupgrade")) {
        rejectNoTargets();
      }
      break;
    case "files":
      if (none && !has("list") && !has("refresh")) rejectNoTargets();
      break;
    case "query":
      if (none && !has("search") && !has("groups") && (has("file") || has("owns"))) rejectNoTargets();
      break;
    case "deptest":
      break;
  }
}
function needsRoot(operation, has, variant) {
  if (variant === "6.0" && has("sysroot")) return true;
  switch (operation) {
    case "database":
      return !has("check");
    case "upgrade":
    case "remove":
      return !has("print");
    case "sync":
      return has("clean") || has("refresh") || !has("groups") && !has("info") && !has("list") && !has("search") && !has("print");
    case "files":
      return has("refresh");
    default:
      return false;
  }
}
function needsLock(operation, has, hasTargets) {
  switch (operation) {
    case "sync":
      if (has("clean") || has("refresh")) return true;
      if (has("search") || has("groups") || has("info") || has("list")) return false;
      return (hasTargets || has("sysupgrade")) && !has("print");
    case "remove":
    case "upgrade":
      return hasTargets && !has("print");
    case "database":
      return hasTargets && (has("asdeps") || has("asexplicit"));
    case "files":
      return has("refresh");
    case "query":
    case "deptest":
    case void 0:
      return false;
  }
}
function changesFiles(operation, has, hasTargets) {
  if (!needsLock(operation, has, hasTargets) || has("print") || has("dbonly")) return false;
  switch (operation) {
    case "sync":
      return !has("clean") && !has("downloadonly") && (hasTargets || has("sysupgrade"));
    case "remove":
    case "upgrade":
      return true;
    default:
      return false;
  }
}
function withStdinTargets(targets, stdin) {
  const index = targets.indexOf("-");
  const kept = index === -1 ? [...targets] : [...targets.slice(0, index), ...targets.slice(index + 1)];
  return [...kept, ...stdin.split("\n").filter((line) => line !== "")];
}

export {
  PACMAN_VARIANTS,
  OPERATION_LETTERS,
  OPERATION_LONG_NAMES,
  SHORT_OPTIONS,
  GLOBAL_MODIFIERS,
  OPERATION_MODIFIERS,
  isAvailableIn,
  getoptSpecFor,
  parsePacmanCommand,
  withStdinTargets
};
//# sourceMappingURL=chunk-4WA2TRF5.js.map
