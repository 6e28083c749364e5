/**
 * Where systemd-sysext and systemd-confext merge: the hierarchies a process
 * with this environment merges, and each hierarchy's marker directory. What
 * is merged now is read in one place: src/system/merge-state.ts.
 */

export type ExtensionKind = 'sysext' | 'confext';

/**
 * The hierarchies systemd-sysext (-confext) merges for a process with this
 * environment: SYSTEMD_SYSEXT_HIERARCHIES (SYSTEMD_CONFEXT_HIERARCHIES),
 * colon-separated, or the defaults.
 */
export function extensionHierarchies(env: NodeJS.ProcessEnv, kind: ExtensionKind = 'sysext'): string[] {
  const value = kind === 'sysext' ? env.SYSTEMD_SYSEXT_HIERARCHIES : env.SYSTEMD_CONFEXT_HIERARCHIES;
  if (value) return value.split(':').filter(Boolean);
  return kind === 'sysext' ? ['/usr', '/opt'] : ['/etc'];
}

export function markerDirectory(hierarchy: string, kind: ExtensionKind): string {
  return `${hierarchy === '/' ? '' : hierarchy}/.systemd-${kind}`;
}
