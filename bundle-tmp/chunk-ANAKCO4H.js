import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/system/pacman-conf.ts
import { machine } from "node:os";
import { isAbsolute, resolve } from "node:path";

// src/system/file-identity.ts
import { open, stat } from "node:fs/promises";
async function fileIdentity(path) {
  try {
    const info = await stat(path, { bigint: true });
    if (info.isDirectory()) return `dir:${info.dev}:${info.ino}`;
    const kind = info.isFile() ? "file" : "other";
    return `${kind}:${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch (error) {
    const code = error.code;
    return code === "ENOENT" || code === "ENOTDIR" ? "absent" : void 0;
  }
}
var ELF_MAGIC = Buffer.from([127, 69, 76, 70]);
async function binaryIdentity(path) {
  let handle;
  try {
    handle = await open(path, "r");
    const info = await handle.stat({ bigint: true });
    if (!info.isFile()) return void 0;
    const head = Buffer.alloc(ELF_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead !== head.length || !head.equals(ELF_MAGIC)) return void 0;
    return `elf:${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch {
    return void 0;
  } finally {
    await handle?.close();
  }
}

// src/system/pacman-conf-files.ts
import { readdir, readFile } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
var LINE_BUFFER = 4096;
var MAX_DEPTH = 10;
var GLOB_CHARACTERS = /[*?[]/;
var cTrim = (text) => text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
function includeValues(contents) {
  if (contents.includes(0)) return void 0;
  const text = contents.toString("utf8");
  if (text.includes("\uFFFD")) return void 0;
  const values = [];
  for (const rawLine of text.split("\n")) {
    if (Buffer.byteLength(rawLine) + 1 >= LINE_BUFFER - 1) return void 0;
    const line = cTrim(rawLine);
    if (line === "" || line.startsWith("#") || line.startsWith("[") && line.endsWith("]")) continue;
    const equals = line.indexOf("=");
    if (equals === -1 || cTrim(line.slice(0, equals)) !== "Include") continue;
    values.push(cTrim(line.slice(equals + 1)));
  }
  return values;
}
function includeCoverage(value) {
  if (!value.startsWith("/") || value.includes("\\")) return void 0;
  const directory = dirname(value);
  if (GLOB_CHARACTERS.test(directory)) return void 0;
  return GLOB_CHARACTERS.test(basename(value)) ? { directory } : { file: value };
}
async function pacmanConfFiles(config) {
  const entries = [];
  const seen = /* @__PURE__ */ new Set();
  const visit = async (path, depth) => {
    if (seen.has(path)) return true;
    seen.add(path);
    if (depth > MAX_DEPTH) return false;
    const identity = await fileIdentity(path);
    if (identity === void 0) return false;
    entries.push([path, identity]);
    if (!identity.startsWith("file:")) return identity === "absent" || identity.startsWith("dir:");
    let values;
    try {
      values = includeValues(await readFile(path));
    } catch {
      return false;
    }
    if (!values) return false;
    for (const value of values) {
      const coverage = includeCoverage(value);
      if (!coverage) return false;
      if ("file" in coverage) {
        if (!await visit(coverage.file, depth + 1)) return false;
        continue;
      }
      let names;
      try {
        names = (await readdir(coverage.directory)).sort();
      } catch (error) {
        const code = error.code;
        if (code !== "ENOENT" && code !== "ENOTDIR") return false;
        names = [];
      }
      entries.push([`${coverage.directory}/`, `entries:${JSON.stringify(names)}`]);
      for (const name of names) if (!await visit(join(coverage.directory, name), depth + 1)) return false;
    }
    return true;
  };
  return await visit(config, 0) ? entries : void 0;
}

// src/system/run-tool.ts
var ToolError = class extends Error {
  constructor(message, code, stderr) {
    super(message);
    this.code = code;
    this.stderr = stderr;
    this.name = "ToolError";
  }
  code;
  stderr;
};
async function runTool(file, args, options = {}) {
  const { execFile } = await import("node:child_process");
  return new Promise((resolve2, reject) => {
    const child = execFile(file, [...args], {
      encoding: "utf8",
      timeout: options.timeoutMs ?? 1e4,
      env: { ...process.env, LC_ALL: "C", ...options.env },
      maxBuffer: 16 * 1024 * 1024
    }, (error, stdout, stderr) => {
      if (error) {
        const code = error.code;
        reject(new ToolError(code === "ENOENT" ? `${file} is not installed` : `${file} failed: ${stderr.trim() || error.message}`, code, stderr));
      } else resolve2({ stdout, stderr });
    });
    if (options.input !== void 0) child.stdin?.end(options.input);
  });
}

// src/system/tool-cache.ts
import { constants } from "node:fs";
import { lstat, mkdir, open as open2, rename, rm, writeFile, chmod } from "node:fs/promises";
import { join as join2 } from "node:path";

// src/system/runtime-dir.ts
var RUNTIME_DIR = "/run/pacman-guard";

// src/system/tool-cache.ts
var TOOL_CACHE_FILE = "tool-cache.json";
var FORMAT = 1;
var MAX_ENTRIES = 16;
function parseCache(text) {
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof document !== "object" || document === null) return [];
  const { format, entries } = document;
  if (format !== FORMAT || !Array.isArray(entries)) return [];
  const valid = (entry) => typeof entry === "object" && entry !== null && ["id", "key", "answer"].every((field) => typeof entry[field] === "string");
  return entries.every(valid) ? entries : [];
}
var ownedSafely = (info, owner) => info.uid === owner && (info.mode & 18) === 0;
async function trustedDirectory(directory, owner) {
  try {
    const info = await lstat(directory);
    return info.isDirectory() && ownedSafely(info, owner);
  } catch {
    return false;
  }
}
async function readEntries(directory, owner) {
  if (!await trustedDirectory(directory, owner)) return [];
  let handle;
  try {
    handle = await open2(join2(directory, TOOL_CACHE_FILE), constants.O_RDONLY | constants.O_NOFOLLOW);
    const info = await handle.stat();
    if (!info.isFile() || !ownedSafely(info, owner)) return [];
    return parseCache(await handle.readFile("utf8"));
  } catch {
    return [];
  } finally {
    await handle?.close();
  }
}
async function writeEntries(directory, owner, entries) {
  await mkdir(directory, { recursive: true, mode: 493 });
  if (!await trustedDirectory(directory, owner)) return;
  const file = join2(directory, TOOL_CACHE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify({ format: FORMAT, entries })}
`, { flag: "wx", mode: 420 });
    await chmod(temporary, 420);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
async function cachedAnswer(question, ask, options = {}) {
  const directory = options.runtimeDir ?? RUNTIME_DIR;
  const owner = options.owner ?? 0;
  const entries = await readEntries(directory, owner);
  const hit = entries.find((entry) => entry.id === question.id && entry.key === question.key);
  if (hit) return hit.answer;
  const answer = await ask();
  if (process.getuid?.() === owner) {
    const kept = entries.filter((entry) => entry.id !== question.id).slice(-(MAX_ENTRIES - 1));
    await writeEntries(directory, owner, [...kept, { id: question.id, key: question.key, answer }]).catch(() => void 0);
  }
  return answer;
}

// src/system/find-on-path.ts
import { access, stat as stat2 } from "node:fs/promises";
import { constants as constants2 } from "node:fs";
import { join as join3 } from "node:path";
async function findOnPath(command, path) {
  if (command.includes("/")) return command.startsWith("/") ? command : void 0;
  for (const directory of (path ?? "/bin:/usr/bin").split(":")) {
    if (!directory.startsWith("/")) return void 0;
    const candidate = join3(directory, command);
    try {
      if (!(await stat2(candidate)).isFile()) continue;
      await access(candidate, constants2.X_OK);
      return candidate;
    } catch {
    }
  }
  return void 0;
}

// src/system/pacman-conf.ts
var DEFAULT_PACMAN_CONF = "/etc/pacman.conf";
function parsePacmanConfOutput(text) {
  const options = /* @__PURE__ */ new Map();
  let section;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "") continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section !== "options") continue;
    const equals = line.indexOf("=");
    const key = (equals === -1 ? line : line.slice(0, equals)).trim();
    const value = equals === -1 ? "" : line.slice(equals + 1).trim();
    options.set(key, [...options.get(key) ?? [], value]);
  }
  return options;
}
function pacmanConfigFrom(options) {
  const one = (key) => {
    const value = options.get(key)?.[0];
    if (value === void 0) throw new GuardError(`pacman-conf printed no ${key}`, { exitCode: 4 /* StateUnknown */ });
    return value;
  };
  return {
    rootDir: one("RootDir"),
    dbPath: one("DBPath"),
    hookDirs: options.get("HookDir") ?? [],
    cacheDirs: options.get("CacheDir") ?? [],
    logFile: one("LogFile"),
    gpgDir: options.get("GPGDir")?.[0] ?? "",
    color: options.has("Color"),
    architectures: options.get("Architecture") ?? []
  };
}
var answers = /* @__PURE__ */ new Map();
async function pacmanConfKey(binary, config, args) {
  const [tool, files] = await Promise.all([binaryIdentity(binary), pacmanConfFiles(config)]);
  if (tool === void 0 || files === void 0) return void 0;
  return JSON.stringify({ machine: machine(), tool: [binary, tool], args, files });
}
async function readPacmanConfig(options = {}) {
  const command = options.command ?? "pacman-conf";
  const config = options.config === void 0 ? void 0 : resolve(options.config);
  const args = [
    ...config ? ["--config", config] : [],
    ...options.root ? ["--rootdir", options.root] : []
  ];
  const id = JSON.stringify([command, args]);
  let pending = answers.get(id);
  if (!pending) {
    pending = askPacmanConf(command, config ?? DEFAULT_PACMAN_CONF, args, options).then(
      (stdout) => pacmanConfigFrom(parsePacmanConfOutput(stdout)),
      (error) => {
        const detail = error instanceof ToolError ? error.message : String(error);
        throw new GuardError(`cannot read pacman's configuration: ${detail}`, { exitCode: 4 /* StateUnknown */, cause: error });
      }
    );
    answers.set(id, pending);
  }
  return pending;
}
async function askPacmanConf(command, config, args, options) {
  const binary = await findOnPath(command, process.env.PATH);
  const ask = async () => (await runTool(binary ?? command, args)).stdout;
  if (options.cache === false || !binary || options.root !== void 0 && !isAbsolute(options.root)) return ask();
  const key = await pacmanConfKey(binary, config, args);
  if (key === void 0) return ask();
  return cachedAnswer({ id: JSON.stringify(["pacman-conf", binary, args]), key }, ask, options.cache);
}

export {
  binaryIdentity,
  runTool,
  RUNTIME_DIR,
  cachedAnswer,
  readPacmanConfig
};
//# sourceMappingURL=chunk-ANAKCO4H.js.map
