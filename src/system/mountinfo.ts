/**
 * /proc/self/mountinfo, parsed (proc(5)):
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2) (3)   (4)   (5)      (6)      (7)   (8) (9)    (10)         (11)
 * Pure. Paths keep the kernel's octal escapes undone (`\040` is a space).
 */

export interface MountEntry {
  readonly id: number;
  readonly parentId: number;
  /** `major:minor` of the filesystem. */
  readonly device: string;
  /** The directory of the filesystem that forms this mount's root (not `/` for bind mounts of a subdirectory). */
  readonly root: string;
  readonly mountPoint: string;
  /** Per-mount options: `ro`/`rw`, `nosuid`, `nodev`, `noexec`, `relatime`, … */
  readonly mountOptions: readonly string[];
  /** `shared:N`, `master:N`, `propagate_from:N`, `unbindable`. */
  readonly optionalFields: readonly string[];
  readonly fsType: string;
  readonly source: string;
  /** Per-superblock options, e.g. overlay's `lowerdir=…`. */
  readonly superOptions: readonly string[];
}

export class MountinfoError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'MountinfoError';
  }
}

/** Undoes the kernel's escaping of space, tab, newline and backslash (`\040`, `\011`, `\012`, `\134`). */
export function unescapeMountinfo(text: string): string {
  let backslash = text.indexOf('\\');
  if (backslash === -1) return text;
  let result = '';
  let copied = 0;
  while (backslash !== -1) {
    const code = text.charCodeAt(backslash + 1) - 48;
    const second = text.charCodeAt(backslash + 2) - 48;
    const third = text.charCodeAt(backslash + 3) - 48;
    if (code >= 0 && code <= 7 && second >= 0 && second <= 7 && third >= 0 && third <= 7) {
      result += text.slice(copied, backslash) + String.fromCharCode(code * 64 + second * 8 + third);
      copied = backslash + 4;
    }
    backslash = text.indexOf('\\', backslash + 1);
  }
  return result + text.slice(copied);
}

export function parseMountinfoLine(line: string, lineNumber = 1): MountEntry {
  // One scan with indexOf: this runs on every line of tables with thousands of mounts.
  const fields: string[] = [];
  let position = 0;
  for (let field = 0; field < 5; field++) {
    const space = line.indexOf(' ', position);
    if (space === -1) throw new MountinfoError(`expected at least 6 fields before " - ", found ${field + 1}`, lineNumber);
    fields.push(line.slice(position, space));
    position = space + 1;
  }
  const separator = line.indexOf(' - ', position - 1);
  if (separator === -1) throw new MountinfoError('no " - " separator', lineNumber);
  const middle = line.slice(position, separator);
  const optionsEnd = middle.indexOf(' ');
  const mountOptions = optionsEnd === -1 ? middle : middle.slice(0, optionsEnd);
  if (mountOptions === '') throw new MountinfoError('expected at least 6 fields before " - ", found 5', lineNumber);
  const after = line.slice(separator + 3);
  const typeEnd = after.indexOf(' ');
  const sourceEnd = typeEnd === -1 ? -1 : after.indexOf(' ', typeEnd + 1);
  if (typeEnd === -1 || sourceEnd === -1) throw new MountinfoError('expected 3 fields after " - "', lineNumber);
  const id = Number(fields[0]);
  const parentId = Number(fields[1]);
  const device = fields[2]!;
  if (!Number.isInteger(id) || !Number.isInteger(parentId) || fields[0] === '' || fields[1] === '' || !DEVICE.test(device)) {
    throw new MountinfoError('malformed mount ID, parent ID or major:minor', lineNumber);
  }
  return new MountRecord(
    id,
    parentId,
    device,
    unescapeMountinfo(fields[3]!),
    unescapeMountinfo(fields[4]!),
    mountOptions,
    optionsEnd === -1 ? '' : middle.slice(optionsEnd + 1),
    after.slice(0, typeEnd),
    unescapeMountinfo(after.slice(typeEnd + 1, sourceEnd)),
    after.slice(sourceEnd + 1),
  );
}

const DEVICE = /^\d+:\d+$/;

/** A parsed line; the option lists are split on first use, since most callers never look at most of them. */
class MountRecord implements MountEntry {
  #mountOptions: readonly string[] | undefined;
  #optionalFields: readonly string[] | undefined;
  #superOptions: readonly string[] | undefined;

  constructor(
    readonly id: number,
    readonly parentId: number,
    readonly device: string,
    readonly root: string,
    readonly mountPoint: string,
    private readonly rawMountOptions: string,
    private readonly rawOptionalFields: string,
    readonly fsType: string,
    readonly source: string,
    private readonly rawSuperOptions: string,
  ) {}

  get mountOptions(): readonly string[] {
    return (this.#mountOptions ??= this.rawMountOptions.split(','));
  }

  get optionalFields(): readonly string[] {
    return (this.#optionalFields ??= this.rawOptionalFields === '' ? [] : this.rawOptionalFields.split(' '));
  }

  get superOptions(): readonly string[] {
    return (this.#superOptions ??= splitSuperOptions(this.rawSuperOptions));
  }

  /** Plain data for JSON and for equality in tests. */
  toJSON(): MountEntry {
    const { id, parentId, device, root, mountPoint, mountOptions, optionalFields, fsType, source, superOptions } = this;
    return { id, parentId, device, root, mountPoint, mountOptions, optionalFields, fsType, source, superOptions };
  }
}

/**
 * Super options are comma-separated, but overlay's lowerdir may contain
 * escaped commas (`\,`) in paths; keep those inside their option.
 */
function splitSuperOptions(text: string): string[] {
  if (!text.includes('\\,')) return text.split(',');
  const options: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '\\' && text[index + 1] === ',') {
      current += '\\,';
      index++;
    } else if (character === ',') {
      options.push(current);
      current = '';
    } else current += character;
  }
  options.push(current);
  return options;
}

export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    if (end > start) entries.push(parseMountinfoLine(text.slice(start, end), lineNumber));
    start = end + 1;
  }
  return entries;
}

/** The value of a `key=value` option, if present. */
export function optionValue(options: readonly string[], key: string): string | undefined {
  const prefix = `${key}=`;
  const option = options.find((candidate) => candidate.startsWith(prefix));
  return option === undefined ? undefined : option.slice(prefix.length);
}

export function isReadOnly(entry: MountEntry): boolean {
  return entry.mountOptions[0] === 'ro' || entry.mountOptions.includes('ro');
}

/**
 * The mounts stacked at one mount point, bottom first. The kernel lists mounts
 * in no guaranteed order (propagation adds copies), so the stack follows
 * parent IDs: each mount above the bottom one has the one below as parent.
 */
export function mountStack(entries: readonly MountEntry[], mountPoint: string): MountEntry[] {
  const here = entries.filter((entry) => entry.mountPoint === mountPoint);
  if (here.length === 0) return [];
  const ids = new Set(here.map((entry) => entry.id));
  const childOf = new Map<number, MountEntry>();
  for (const entry of here) if (ids.has(entry.parentId)) childOf.set(entry.parentId, entry);
  const bottom = here.find((entry) => !ids.has(entry.parentId));
  if (!bottom) return here; // a cycle cannot happen in a real table; keep what we have
  const stack = [bottom];
  for (let next = childOf.get(bottom.id); next; next = childOf.get(next.id)) {
    if (stack.includes(next)) break;
    stack.push(next);
  }
  return stack;
}

/** The mount a path is on: the topmost mount at the longest mount point that contains it. */
export function visibleMount(entries: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const entry of entries) {
    const within = entry.mountPoint === '/' || path === entry.mountPoint || path.startsWith(`${entry.mountPoint}/`);
    if (within && (!best || entry.mountPoint.length > best.mountPoint.length)) best = entry;
  }
  return best && (mountStack(entries, best.mountPoint).at(-1) ?? best);
}
