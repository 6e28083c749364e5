import {
  HELPER_SHIMS,
  deriveFastPathRules,
  helperShimSettings,
  renderHelperShim,
  renderShim
} from "./chunk-JOIKW67E.js";
import {
  HELPER_NAMES
} from "./chunk-YPDJNW7G.js";
import {
  parseCommandOptions
} from "./chunk-CBJKVL5X.js";
import {
  DROP_IN_PATH,
  DROP_IN_TEMPLATE,
  HOOK_NAME,
  HOOK_TEMPLATE,
  METRICS_UNITS,
  readTemplate,
  renderHook
} from "./chunk-CV7VYEZC.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import {
  extensionHierarchies
} from "./chunk-SIRNJXXP.js";
import {
  GuardError,
  describeError
} from "./chunk-63T2ULCU.js";

// src/cli/commands/install.ts
import { join as join2, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// src/install/helper-list.ts
var isHelperName = (name) => HELPER_NAMES.includes(name);
function parseHelperList(list) {
  if (list === void 0) return [...HELPER_NAMES];
  if (list === "none") return [];
  const names = list.split(",");
  if (names.includes("none")) throw new GuardError("--helpers: 'none' cannot be combined with helper names", { exitCode: 2 /* Usage */ });
  const unknown = names.filter((name) => !isHelperName(name));
  if (unknown.length > 0) {
    const shown = unknown.map((name) => `'${name}'`).join(", ");
    throw new GuardError(`--helpers: unknown helper ${shown} (known: ${HELPER_NAMES.join(", ")}; or none)`, {
      exitCode: 2 /* Usage */,
      hints: [`  e.g. --helpers ${HELPER_NAMES.join(",")}, --helpers ${HELPER_NAMES[0]} or --helpers none`]
    });
  }
  return HELPER_NAMES.filter((name) => names.includes(name));
}

// src/install/install.ts
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
var sha256 = (content) => createHash("sha256").update(content).digest("hex");
async function planInstall(options) {
  const render = async (template) => renderHook(await readTemplate(template), options.shim.node, options.shim.guardMain);
  return {
    files: [
      { path: join(options.bindir, "pacman"), content: renderShim(options.shim, deriveFastPathRules()), mode: 493, conflictHint: "--bindir", option: "--bindir" },
      ...options.helpers.map((helper) => ({
        path: join(options.bindir, helper),
        content: renderHelperShim(helper, helperShimSettings(helper, options.shim, options.realHelpers?.[helper])),
        mode: 493,
        conflictHint: `--bindir, or leave the ${helper} shim out with --helpers`,
        option: "--bindir"
      })),
      { path: join(options.hookdir, HOOK_NAME), content: await render(HOOK_TEMPLATE), mode: 420, conflictHint: "--hookdir", option: "--hookdir" },
      { path: join(options.unitdir, DROP_IN_PATH), content: await render(DROP_IN_TEMPLATE), mode: 420, conflictHint: "--unitdir", option: "--unitdir" },
      ...await Promise.all(METRICS_UNITS.map(async (unit) => ({ path: join(options.unitdir, unit.name), content: await render(unit.template), mode: 420, conflictHint: "--unitdir", option: "--unitdir" })))
    ]
  };
}
async function readIfExists(path) {
  try {
    return await readFile(path);
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
async function readManifest(path) {
  const text = await readIfExists(path);
  if (!text) return [];
  try {
    const parsed = JSON.parse(text.toString("utf8"));
    if (!Array.isArray(parsed.files)) throw new Error('no "files" list');
    return parsed.files;
  } catch (error) {
    throw new GuardError(`malformed install manifest ${path}: ${describeError(error)}`, { exitCode: 1 /* Failure */, hints: ["  fix or remove it, then run guard install again"] });
  }
}
var READ_ONLY_HINTS = [
  "  on a read-only /usr, install the package in the maintenance window:",
  "    guard update -U pacman-guard-*.pkg.tar.zst",
  "  or choose writable directories: --hookdir /etc/pacman.d/hooks (libalpm reads it), and",
  "  --bindir a writable directory that comes first on PATH and in sudo's secure_path"
];
async function existingAncestor(path) {
  for (let current = path; ; current = dirname(current)) {
    try {
      await access(current, constants.F_OK);
      return current;
    } catch {
      if (current === dirname(current)) return current;
    }
  }
}
async function requireWritableDirectories(files) {
  const failures = [];
  let readOnly = false;
  const seen = /* @__PURE__ */ new Set();
  for (const file of files) {
    const directory = dirname(file.path);
    if (seen.has(directory)) continue;
    seen.add(directory);
    const ancestor = await existingAncestor(directory);
    try {
      await access(ancestor, constants.W_OK);
    } catch (error) {
      const code = error.code;
      readOnly ||= code === "EROFS";
      failures.push(`${file.option} ${directory}: ${code === "EROFS" ? `${ancestor} is on a read-only file system` : describeError(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new GuardError(`cannot install: ${failures.length === 1 ? "a directory is" : "directories are"} not writable`, {
      exitCode: 1 /* Failure */,
      hints: [...failures.map((failure) => `  ${failure}`), "  nothing was changed", ...readOnly ? READ_ONLY_HINTS : []]
    });
  }
}
async function writeAtomically(path, content, mode) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.pacman-guard-new`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, path);
}
async function install(plan, manifestPath) {
  const manifest = manifestPath ? await readManifest(manifestPath) : [];
  const results = [];
  for (const file of plan.files) {
    const existing = await readIfExists(file.path);
    const ours = manifest.some((entry) => entry.path === file.path && existing !== void 0 && entry.sha256 === sha256(existing));
    if (existing !== void 0 && !ours && sha256(existing) !== sha256(file.content)) {
      throw new GuardError(`${file.path} exists and was not installed by pacman-guard`, {
        exitCode: 1 /* Failure */,
        hints: [`  nothing was changed; move it away or choose another directory${file.conflictHint ? ` (${file.conflictHint})` : ""}`]
      });
    }
  }
  await requireWritableDirectories(plan.files);
  const entries = [];
  for (const file of plan.files) {
    const existing = await readIfExists(file.path);
    let outcome = "installed";
    if (existing !== void 0) outcome = sha256(existing) === sha256(file.content) ? "unchanged" : "updated";
    try {
      if (outcome !== "unchanged") await writeAtomically(file.path, file.content, file.mode);
    } catch (error) {
      const readOnly = error.code === "EROFS";
      throw new GuardError(`cannot write ${file.path} (${file.option}): ${describeError(error)}`, {
        exitCode: 1 /* Failure */,
        hints: readOnly ? READ_ONLY_HINTS : [],
        cause: error
      });
    }
    entries.push({ path: file.path, sha256: sha256(file.content) });
    results.push({ path: file.path, outcome });
  }
  if (!manifestPath) return results;
  const kept = manifest.filter((entry) => !entries.some((added) => added.path === entry.path));
  await writeAtomically(manifestPath, `${JSON.stringify({ files: [...kept, ...entries] }, null, 2)}
`, 420);
  return results;
}
async function uninstall(manifestPath) {
  const manifest = await readManifest(manifestPath);
  const results = [];
  for (const entry of manifest) {
    const existing = await readIfExists(entry.path);
    if (existing === void 0) results.push({ path: entry.path, outcome: "missing" });
    else if (sha256(existing) !== entry.sha256) results.push({ path: entry.path, outcome: "modified, kept" });
    else {
      await rm(entry.path);
      results.push({ path: entry.path, outcome: "removed" });
    }
  }
  await rm(manifestPath, { force: true });
  return results;
}

// src/cli/commands/install.ts
var DEFAULT_BINDIR = "/usr/local/bin";
var DEFAULT_HOOKDIR = "/usr/share/libalpm/hooks";
var DEFAULT_UNITDIR = "/etc/systemd/system";
var DEFAULT_MANIFEST = "/var/lib/pacman-guard/installed.json";
var GUARD_MAIN = fileURLToPath(new URL("../main.js", import.meta.url));
var realHelperOption = (helper) => `real-${helper}`;
function realHelpers(values, helpers) {
  const chosen = {};
  for (const helper of HELPER_NAMES) {
    const path = values[realHelperOption(helper)];
    if (path === void 0) continue;
    if (!helpers.includes(helper)) throw new GuardError(`--${realHelperOption(helper)} given, but --helpers leaves out the ${helper} shim`, { exitCode: 2 /* Usage */ });
    chosen[helper] = path;
  }
  return chosen;
}
var installCommand = {
  name: "install",
  usage: `guard install [--bindir DIR] [--hookdir DIR] [--unitdir DIR] [--helpers LIST] [--real-pacman PATH] ${HELPER_NAMES.map((helper) => `[--real-${helper} PATH]`).join(" ")} [--manifest FILE | --destdir DIR] [--node PATH]`,
  options: [
    ["--bindir <dir>", `where the pacman shim and the ${HELPER_NAMES.join(" and ")} shims go (default ${DEFAULT_BINDIR})`],
    ["--hookdir <dir>", `where the libalpm hook goes (default ${DEFAULT_HOOKDIR})`],
    ["--unitdir <dir>", `where the systemd-sysext.service drop-in and the metrics units go (default ${DEFAULT_UNITDIR})`],
    ["--helpers <list>", `the AUR helper shims to install: a comma-separated subset of ${HELPER_NAMES.join(",")}, or none (default ${HELPER_NAMES.join(",")})`],
    ["--real-pacman <path>", "the pacman the shim runs (default /usr/bin/pacman)"],
    ...HELPER_NAMES.map((helper) => [`--real-${helper} <path>`, `the ${helper} the ${helper} shim runs (default ${HELPER_SHIMS[helper].realHelper})`]),
    ["--manifest <file>", `the record of installed files (default ${DEFAULT_MANIFEST})`],
    ["--destdir <dir>", "stage the files under DIR for a package (paths inside them stay as if installed; no manifest)"],
    ["--node <path>", "the node the hook and the shims run (default: this one)"]
  ],
  details: [
    "Idempotent: files that are already up to date are left alone. A file that exists and",
    "was not installed by pacman-guard is never overwritten. The shims are rendered with",
    "pacman's DBPath (pacman-conf) and the sysext hierarchies of SYSTEMD_SYSEXT_HIERARCHIES",
    "(default /usr:/opt) and SYSTEMD_CONFEXT_HIERARCHIES (default /etc).",
    `The ${HELPER_NAMES.join(" and ")} shims refuse what would change the system before the`,
    "helper clones or builds anything; where the helper is not installed they exit 127, as",
    "a missing command does. A shim an earlier install wrote stays when --helpers leaves it",
    "out: guard uninstall removes everything any guard install wrote.",
    "pacman-guard-metrics.timer and .service (guard metrics every minute) are installed",
    "disabled: systemctl enable --now pacman-guard-metrics.timer."
  ].join("\n"),
  async run(context) {
    const { values } = parseCommandOptions(context.args, {
      bindir: { type: "string" },
      hookdir: { type: "string" },
      unitdir: { type: "string" },
      helpers: { type: "string" },
      "real-pacman": { type: "string" },
      ...Object.fromEntries(HELPER_NAMES.map((helper) => [realHelperOption(helper), { type: "string" }])),
      manifest: { type: "string" },
      destdir: { type: "string" },
      node: { type: "string" }
    });
    const destdir = values.destdir;
    if (destdir !== void 0 && values.manifest !== void 0) throw new GuardError("--destdir and --manifest exclude each other: a package has no manifest", { exitCode: 2 /* Usage */ });
    const helpers = parseHelperList(values.helpers);
    const chosenRealHelpers = realHelpers(values, helpers);
    const staged = (path) => destdir ? join2(destdir, path) : path;
    const guardMain = destdir && GUARD_MAIN.startsWith(`${resolve(destdir)}/`) ? GUARD_MAIN.slice(resolve(destdir).length) : GUARD_MAIN;
    const config = await readPacmanConfig();
    const plan = await planInstall({
      bindir: staged(values.bindir ?? DEFAULT_BINDIR),
      hookdir: staged(values.hookdir ?? DEFAULT_HOOKDIR),
      unitdir: staged(values.unitdir ?? DEFAULT_UNITDIR),
      shim: {
        realPacman: values["real-pacman"] ?? "/usr/bin/pacman",
        dbPath: config.dbPath,
        sysextHierarchies: extensionHierarchies(context.env, "sysext"),
        confextHierarchies: extensionHierarchies(context.env, "confext"),
        node: values.node ?? process.execPath,
        guardMain
      },
      helpers,
      realHelpers: chosenRealHelpers
    });
    const results = await install(plan, destdir ? void 0 : values.manifest ?? DEFAULT_MANIFEST);
    for (const { path, outcome } of results) context.output.line(`${outcome.padEnd(10)} ${path}`);
    if (!destdir && results.some(({ path, outcome }) => /\.(conf|service|timer)$/.test(path) && outcome !== "unchanged")) {
      context.output.line(":: systemd reads the drop-in and the units after: systemctl daemon-reload");
    }
    return 0 /* Ok */;
  }
};
var uninstallCommand = {
  name: "uninstall",
  usage: "guard uninstall [--manifest FILE]",
  options: [["--manifest <file>", `the record of installed files (default ${DEFAULT_MANIFEST})`]],
  details: "Removes exactly the files guard install wrote; a file changed since is kept and reported.",
  async run(context) {
    const { values } = parseCommandOptions(context.args, { manifest: { type: "string" } });
    const results = await uninstall(values.manifest ?? DEFAULT_MANIFEST);
    for (const { path, outcome } of results) {
      if (outcome === "modified, kept") context.output.warning(`${path} was changed since it was installed; kept`);
      else context.output.line(`${outcome.padEnd(10)} ${path}`);
    }
    return results.some((result) => result.outcome === "modified, kept") ? 1 /* Failure */ : 0 /* Ok */;
  }
};

export {
  DEFAULT_BINDIR,
  DEFAULT_HOOKDIR,
  DEFAULT_UNITDIR,
  DEFAULT_MANIFEST,
  installCommand,
  uninstallCommand
};
//# sourceMappingURL=chunk-4UQQCJ67.js.map
