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
  if (!text.includes('\\')) return text;
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountinfoLine(line: string, lineNumber = 1): MountEntry {
  const separator = line.indexOf(' - ');
  if (separator === -1) throw new MountinfoError('no " - " separator', lineNumber);
  const before = line.slice(0, separator).split(' ');
  const after = line.slice(separator + 3).split(' ');
  if (before.length < 6) throw new MountinfoError(`expected at least 6 fields before " - ", found ${before.length}`, lineNumber);
  if (after.length < 3) throw new MountinfoError(`expected 3 fields after " - ", found ${after.length}`, lineNumber);
  const id = Number(before[0]);
  const parentId = Number(before[1]);
  const device = before[2]!;
  if (!Number.isInteger(id) || !Number.isInteger(parentId) || !/^\d+:\d+$/.test(device)) {
    throw new MountinfoError('malformed mount ID, parent ID or major:minor', lineNumber);
  }
  return {
    id,
    parentId,
    device,
    root: unescapeMountinfo(before[3]!),
    mountPoint: unescapeMountinfo(before[4]!),
    mountOptions: before[5]!.split(','),
    optionalFields: before.slice(6),
    fsType: after[0]!,
    source: unescapeMountinfo(after[1]!),
    superOptions: splitSuperOptions(after.slice(2).join(' ')),
  };
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
  return entry.mountOptions.includes('ro');
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
