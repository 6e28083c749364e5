/**
 * The mutable mode systemd-sysext.service (or -confext) is configured with:
 * `SYSTEMD_SYSEXT_MUTABLE_MODE` in the unit's Environment=, as systemd has
 * it (`systemctl show`, drop-ins applied). guard merge asks it when nothing
 * is merged, so that a merge by hand comes out as the unit's own would; with
 * no systemd (a container without it, a chroot) there is none.
 */
import { execFileSync } from 'node:child_process';
import type { ExtensionKind } from './sysext.js';
import { MUTABLE_MODES, type MutableMode } from './merge-state.js';

export const modeVariable = (kind: ExtensionKind) => (kind === 'confext' ? 'SYSTEMD_CONFEXT_MUTABLE_MODE' : 'SYSTEMD_SYSEXT_MUTABLE_MODE');

/** Pure: the mode in `systemctl show -p Environment --value` output (space-separated assignments). */
export function modeFromEnvironment(environment: string, kind: ExtensionKind): MutableMode | undefined {
  const prefix = `${modeVariable(kind)}=`;
  const value = environment.split(/\s+/).filter((word) => word.startsWith(prefix)).at(-1)?.slice(prefix.length);
  return (MUTABLE_MODES as readonly string[]).includes(value ?? '') ? (value as MutableMode) : undefined;
}

export function configuredMutableMode(kind: ExtensionKind): MutableMode | undefined {
  try {
    const environment = execFileSync('systemctl', ['show', '-p', 'Environment', '--value', `systemd-${kind}.service`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return modeFromEnvironment(environment, kind);
  } catch {
    return undefined;
  }
}
