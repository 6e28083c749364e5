/**
 * What of a package an extension can carry. systemd-sysext overlays only
 * its hierarchies (/usr and /opt by default), so everything else a package
 * would have done on installation is reported, never silently dropped:
 * files elsewhere (/etc, /var, …), its install scriptlet, and the system
 * users its sysusers.d files declare.
 */

/** Package metadata members at the archive's root (makepkg writes these). */
const METADATA = new Set(['.PKGINFO', '.MTREE', '.BUILDINFO', '.INSTALL', '.CHANGELOG']);

export interface PackageContents {
  /** Under a sysext hierarchy: goes into the extension (directories end in '/'). */
  readonly carried: readonly string[];
  /** Elsewhere: not in the extension (directories end in '/'). */
  readonly dropped: readonly string[];
  /** usr/lib/sysusers.d/*.conf files: users and groups nobody creates. */
  readonly sysusers: readonly string[];
}

/** Hierarchy '/usr' → archive prefix 'usr/'. */
export function hierarchyPrefix(hierarchy: string): string {
  return `${hierarchy.replace(/^\/+|\/+$/g, '')}/`;
}

/** Pure: sorts a package's archive paths (relative; directories end in '/'). */
export function classifyContents(paths: readonly string[], hierarchies: readonly string[]): PackageContents {
  const prefixes = hierarchies.map(hierarchyPrefix);
  const carried: string[] = [];
  const dropped: string[] = [];
  for (const path of paths) {
    if (METADATA.has(path)) continue;
    if (prefixes.some((prefix) => path.startsWith(prefix))) carried.push(path);
    else dropped.push(path);
  }
  const sysusers = carried.filter((path) => /^usr\/lib\/sysusers\.d\/[^/]+\.conf$/.test(path));
  return { carried, dropped, sysusers };
}

/** Pure: the scriptlet functions an .INSTALL file defines (pre_install, post_upgrade, …). */
export function scriptletFunctions(text: string): string[] {
  const found = new Set<string>();
  const name = '((?:pre|post)_(?:install|upgrade|remove))';
  for (const match of text.matchAll(new RegExp(`^\\s*(?:function\\s+${name}\\b|${name}\\s*\\(\\s*\\))`, 'gm'))) {
    found.add((match[1] ?? match[2])!);
  }
  return [...found];
}

/** Pure: `.PKGINFO` as key → values (depend, provides, … repeat). */
export function parsePkgInfo(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf(' = ');
    if (equals === -1) continue;
    const key = line.slice(0, equals);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(equals + 3)]);
  }
  return fields;
}

/**
 * Pure: the dropped paths worth naming: files, and directories that hold
 * nothing else dropped (so `etc/` is not listed beside `etc/foo.conf`).
 */
export function summarizeDropped(dropped: readonly string[]): string[] {
  const sorted = [...dropped].sort();
  return sorted.filter((path, index) => !path.endsWith('/') || !(sorted[index + 1]?.startsWith(path) ?? false));
}
