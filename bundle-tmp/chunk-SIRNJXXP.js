import {
  describeError
} from "./chunk-63T2ULCU.js";

// src/system/mountinfo.ts
var MountinfoError = class extends Error {
  constructor(message, line) {
    super(`line ${line}: ${message}`);
    this.line = line;
    this.name = "MountinfoError";
  }
  line;
};
function unescapeMountinfo(text) {
  let backslash = text.indexOf("\\");
  if (backslash === -1) return text;
  let result = "";
  let copied = 0;
  while (backslash !== -1) {
    const code = text.charCodeAt(backslash + 1) - 48;
    const second = text.charCodeAt(backslash + 2) - 48;
    const third = text.charCodeAt(backslash + 3) - 48;
    if (code >= 0 && code <= 7 && second >= 0 && second <= 7 && third >= 0 && third <= 7) {
      result += text.slice(copied, backslash) + String.fromCharCode(code * 64 + second * 8 + third);
      copied = backslash + 4;
    }
    backslash = text.indexOf("\\", backslash + 1);
  }
  return result + text.slice(copied);
}
function parseMountinfoLine(line, lineNumber = 1) {
  const fields = [];
  let position = 0;
  for (let field = 0; field < 5; field++) {
    const space = line.indexOf(" ", position);
    if (space === -1) throw new MountinfoError(`expected at least 6 fields before " - ", found ${field + 1}`, lineNumber);
    fields.push(line.slice(position, space));
    position = space + 1;
  }
  const separator = line.indexOf(" - ", position - 1);
  if (separator === -1) throw new MountinfoError('no " - " separator', lineNumber);
  const middle = line.slice(position, separator);
  const optionsEnd = middle.indexOf(" ");
  const mountOptions = optionsEnd === -1 ? middle : middle.slice(0, optionsEnd);
  if (mountOptions === "") throw new MountinfoError('expected at least 6 fields before " - ", found 5', lineNumber);
  const after = line.slice(separator + 3);
  const typeEnd = after.indexOf(" ");
  const sourceEnd = typeEnd === -1 ? -1 : after.indexOf(" ", typeEnd + 1);
  if (typeEnd === -1 || sourceEnd === -1) throw new MountinfoError('expected 3 fields after " - "', lineNumber);
  const id = Number(fields[0]);
  const parentId = Number(fields[1]);
  const device = fields[2];
  if (!Number.isInteger(id) || !Number.isInteger(parentId) || fields[0] === "" || fields[1] === "" || !DEVICE.test(device)) {
    throw new MountinfoError("malformed mount ID, parent ID or major:minor", lineNumber);
  }
  return new MountRecord(
    id,
    parentId,
    device,
    unescapeMountinfo(fields[3]),
    unescapeMountinfo(fields[4]),
    mountOptions,
    optionsEnd === -1 ? "" : middle.slice(optionsEnd + 1),
    after.slice(0, typeEnd),
    unescapeMountinfo(after.slice(typeEnd + 1, sourceEnd)),
    after.slice(sourceEnd + 1)
  );
}
var DEVICE = /^\d+:\d+$/;
var MountRecord = class {
  constructor(id, parentId, device, root, mountPoint, rawMountOptions, rawOptionalFields, fsType, source, rawSuperOptions) {
    this.id = id;
    this.parentId = parentId;
    this.device = device;
    this.root = root;
    this.mountPoint = mountPoint;
    this.rawMountOptions = rawMountOptions;
    this.rawOptionalFields = rawOptionalFields;
    this.fsType = fsType;
    this.source = source;
    this.rawSuperOptions = rawSuperOptions;
  }
  id;
  parentId;
  device;
  root;
  mountPoint;
  rawMountOptions;
  rawOptionalFields;
  fsType;
  source;
  rawSuperOptions;
  #mountOptions;
  #optionalFields;
  #superOptions;
  get mountOptions() {
    return this.#mountOptions ??= this.rawMountOptions.split(",");
  }
  get optionalFields() {
    return this.#optionalFields ??= this.rawOptionalFields === "" ? [] : this.rawOptionalFields.split(" ");
  }
  get superOptions() {
    return this.#superOptions ??= splitSuperOptions(this.rawSuperOptions);
  }
  /** Plain data for JSON and for equality in tests. */
  toJSON() {
    const { id, parentId, device, root, mountPoint, mountOptions, optionalFields, fsType, source, superOptions } = this;
    return { id, parentId, device, root, mountPoint, mountOptions, optionalFields, fsType, source, superOptions };
  }
};
function splitSuperOptions(text) {
  if (!text.includes("\\,")) return text.split(",");
  const options = [];
  let current = "";
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === "\\" && text[index + 1] === ",") {
      current += "\\,";
      index++;
    } else if (character === ",") {
      options.push(current);
      current = "";
    } else current += character;
  }
  options.push(current);
  return options;
}
function parseMountinfo(text) {
  const entries = [];
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNumber++;
    if (end > start) entries.push(parseMountinfoLine(text.slice(start, end), lineNumber));
    start = end + 1;
  }
  return entries;
}
function optionValue(options, key) {
  const prefix = `${key}=`;
  const option = options.find((candidate) => candidate.startsWith(prefix));
  return option === void 0 ? void 0 : option.slice(prefix.length);
}
function isReadOnly(entry) {
  return entry.mountOptions[0] === "ro" || entry.mountOptions.includes("ro");
}
function mountStack(entries, mountPoint) {
  const here = entries.filter((entry) => entry.mountPoint === mountPoint);
  if (here.length === 0) return [];
  const ids = new Set(here.map((entry) => entry.id));
  const childOf = /* @__PURE__ */ new Map();
  for (const entry of here) if (ids.has(entry.parentId)) childOf.set(entry.parentId, entry);
  const bottom = here.find((entry) => !ids.has(entry.parentId));
  if (!bottom) return here;
  const stack = [bottom];
  for (let next = childOf.get(bottom.id); next; next = childOf.get(next.id)) {
    if (stack.includes(next)) break;
    stack.push(next);
  }
  return stack;
}
function visibleMount(entries, path) {
  let best;
  for (const entry of entries) {
    const within = entry.mountPoint === "/" || path === entry.mountPoint || path.startsWith(`${entry.mountPoint}/`);
    if (within && (!best || entry.mountPoint.length > best.mountPoint.length)) best = entry;
  }
  return best && (mountStack(entries, best.mountPoint).at(-1) ?? best);
}

// src/system/sysext.ts
import { readFile, stat } from "node:fs/promises";
function extensionOverlays(entries) {
  const found = [];
  const seen = /* @__PURE__ */ new Set();
  for (const entry of entries) {
    if (entry.fsType !== "overlay" || entry.source !== "sysext" && entry.source !== "confext") continue;
    if (seen.has(entry.mountPoint)) continue;
    seen.add(entry.mountPoint);
    const top = mountStack(entries, entry.mountPoint).at(-1) ?? entry;
    if (top.fsType === "overlay" && (top.source === "sysext" || top.source === "confext")) {
      found.push({ entry: top, kind: top.source });
    }
  }
  return found;
}
function extensionsFromLowerdir(entry, kind) {
  const lowerdir = optionValue(entry.superOptions, "lowerdir");
  if (!lowerdir) return [];
  const prefix = `/run/systemd/${kind}/extensions/`;
  const names = [];
  for (const layer of lowerdir.split(/(?<!\\):/)) {
    if (!layer.startsWith(prefix)) continue;
    const name = layer.slice(prefix.length).split("/")[0];
    if (name) names.push(name);
  }
  return names.reverse();
}
function describeMerge(entry, kind, marker) {
  const fromLowerdir = extensionsFromLowerdir(entry, kind);
  const extensions = marker.extensions && marker.extensions.length > 0 ? marker.extensions : fromLowerdir;
  const confirmed = marker.dev === entry.device;
  let problem;
  if (marker.error) problem = marker.error;
  else if (!confirmed) problem = `marker says device ${marker.dev ?? "(none)"}, the overlay is ${entry.device}`;
  return {
    hierarchy: entry.mountPoint,
    kind,
    extensions,
    ...marker.since ? { since: marker.since } : {},
    mutable: optionValue(entry.superOptions, "upperdir") !== void 0,
    device: entry.device,
    confirmed,
    ...problem ? { problem } : {}
  };
}
function extensionHierarchies(env, kind = "sysext") {
  const value = kind === "sysext" ? env.SYSTEMD_SYSEXT_HIERARCHIES : env.SYSTEMD_CONFEXT_HIERARCHIES;
  if (value) return value.split(":").filter(Boolean);
  return kind === "sysext" ? ["/usr", "/opt"] : ["/etc"];
}
function markerDirectory(hierarchy, kind) {
  return `${hierarchy === "/" ? "" : hierarchy}/.systemd-${kind}`;
}
async function readMarker(hierarchy, kind) {
  const directory = markerDirectory(hierarchy, kind);
  try {
    const [dev, extensions, status] = await Promise.all([
      readFile(`${directory}/dev`, "utf8"),
      readFile(`${directory}/extensions`, "utf8").catch(() => ""),
      stat(directory)
    ]);
    return {
      dev: dev.trim(),
      extensions: extensions.split("\n").map((line) => line.trim()).filter(Boolean),
      since: status.mtime
    };
  } catch (error) {
    return { error: `cannot read ${directory}: ${describeError(error)}` };
  }
}
async function mergedHierarchies(entries, read = readMarker) {
  return Promise.all(extensionOverlays(entries).map(async ({ entry, kind }) => describeMerge(entry, kind, await read(entry.mountPoint, kind))));
}

export {
  parseMountinfo,
  optionValue,
  isReadOnly,
  mountStack,
  visibleMount,
  extensionOverlays,
  extensionHierarchies,
  markerDirectory,
  readMarker,
  mergedHierarchies
};
//# sourceMappingURL=chunk-SIRNJXXP.js.map
