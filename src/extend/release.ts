/**
 * The extension-release file that makes systemd-sysext accept an extension
 * on this host and only here: ID and ARCHITECTURE always, and SYSEXT_LEVEL
 * or else VERSION_ID when the host's os-release has one, so that a base
 * update makes a stale extension refused (and visible) instead of silently
 * mismatched. Observed with systemd 252: a mismatch is skipped with
 * "ignored due to incompatible version" and `refresh` still exits 0.
 */

/** Pure: os-release(5) text as key → value (quotes and escapes removed). */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\`$])/g, '$1');
    }
    fields.set(match[1]!, value);
  }
  return fields;
}

/**
 * uname(2) machine → systemd's architecture name (systemd's architecture.h
 * table), the spelling ARCHITECTURE= takes. Ordered: first match wins.
 */
const ARCHITECTURES: readonly (readonly [RegExp, string])[] = [
  [/^x86_64$/, 'x86-64'],
  [/^i[3-6]86$/, 'x86'],
  [/^aarch64$/, 'arm64'],
  [/^aarch64_be$/, 'arm64-be'],
  [/^arm.*b$/, 'arm-be'],
  [/^arm/, 'arm'],
  [/^riscv64$/, 'riscv64'],
  [/^riscv32$/, 'riscv32'],
  [/^loongarch64$/, 'loongarch64'],
  [/^ppc64le$/, 'ppc64-le'],
  [/^ppc64$/, 'ppc64'],
  [/^ppcle$/, 'ppc-le'],
  [/^ppc$/, 'ppc'],
  [/^s390x$/, 's390x'],
  [/^s390$/, 's390'],
  [/^mips64el$/, 'mips64-le'],
  [/^mips64$/, 'mips64'],
  [/^mipsel$/, 'mips-le'],
  [/^mips$/, 'mips'],
  [/^sparc64$/, 'sparc64'],
  [/^alpha$/, 'alpha'],
  [/^ia64$/, 'ia64'],
  [/^m68k$/, 'm68k'],
];

export function systemdArchitecture(machine: string): string | undefined {
  return ARCHITECTURES.find(([pattern]) => pattern.test(machine))?.[1];
}

export interface ExtensionReleaseFields {
  readonly fields: readonly (readonly [string, string])[];
  /** What the extension will not be tied to, and why (reported, not silent). */
  readonly notes: readonly string[];
}

/** Pure: the fields of extension-release.NAME for a host with this os-release and machine. */
export function extensionReleaseFields(osRelease: ReadonlyMap<string, string>, machine: string): ExtensionReleaseFields {
  const id = osRelease.get('ID');
  if (!id) throw new Error('os-release has no ID');
  const fields: [string, string][] = [['ID', id]];
  const notes: string[] = [];
  const architecture = systemdArchitecture(machine);
  if (architecture) fields.push(['ARCHITECTURE', architecture]);
  else notes.push(`machine '${machine}' has no systemd architecture name: the extension is not tied to an architecture`);
  const sysextLevel = osRelease.get('SYSEXT_LEVEL');
  const versionId = osRelease.get('VERSION_ID');
  if (sysextLevel) fields.push(['SYSEXT_LEVEL', sysextLevel]);
  else if (versionId) fields.push(['VERSION_ID', versionId]);
  else notes.push(`os-release has neither SYSEXT_LEVEL nor VERSION_ID (a rolling release): the extension matches any ${id} base`);
  return { fields, notes };
}

export function renderExtensionRelease(fields: ExtensionReleaseFields['fields']): string {
  return fields.map(([key, value]) => `${key}=${value}\n`).join('');
}
