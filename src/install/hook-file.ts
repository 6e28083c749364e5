/**
 * The libalpm hook and the systemd drop-in, rendered from hooks/ with
 * absolute paths.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

export const HOOK_NAME = '00-pacman-guard.hook';
/** libalpm's compiled-in hook directory, read before pacman.conf's HookDir. */
export const SYSTEM_HOOK_DIRECTORY = '/usr/share/libalpm/hooks';
export const HOOK_TEMPLATE = new URL('../../hooks/00-pacman-guard.hook.in', import.meta.url);
/** The systemd drop-in, installed as systemd-sysext.service.d/pacman-guard.conf. */
export const DROP_IN_TEMPLATE = new URL('../../hooks/systemd/pacman-guard.conf.in', import.meta.url);
export const DROP_IN_PATH = 'systemd-sysext.service.d/pacman-guard.conf';
/**
 * Every drop-in: each unit that merges extensions gets the lock before and
 * the settle after (docs/merge-paths.md). A drop-in for a unit this systemd
 * does not have is ignored by it.
 */
export const DROP_INS: readonly { readonly unit: string; readonly path: string; readonly template: URL }[] = [
  { unit: 'systemd-sysext.service', path: DROP_IN_PATH, template: DROP_IN_TEMPLATE },
  { unit: 'systemd-confext.service', path: 'systemd-confext.service.d/pacman-guard.conf', template: new URL('../../hooks/systemd/pacman-guard-confext.conf.in', import.meta.url) },
  { unit: 'systemd-sysext@.service', path: 'systemd-sysext@.service.d/pacman-guard.conf', template: new URL('../../hooks/systemd/pacman-guard-varlink.conf.in', import.meta.url) },
  { unit: 'systemd-confext@.service', path: 'systemd-confext@.service.d/pacman-guard.conf', template: new URL('../../hooks/systemd/pacman-guard-varlink.conf.in', import.meta.url) },
  { unit: 'systemd-sysupdate-notify-sysext@.service', path: 'systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf', template: new URL('../../hooks/systemd/pacman-guard-varlink.conf.in', import.meta.url) },
];
/**
 * Units of the guard's own, installed beside the drop-ins: guard settle after
 * systemd-sysext.service starts (pulled in by its drop-in), and guard metrics
 * every minute (pacman-guard-metrics.timer; installed, never enabled: that is
 * the admin's choice).
 */
export const SETTLE_UNIT = { name: 'pacman-guard-settle.service', template: new URL('../../hooks/systemd/pacman-guard-settle.service.in', import.meta.url) } as const;
/** guard metrics every minute (pacman-guard-metrics.timer); installed, never enabled: that is the admin's choice. */
export const METRICS_UNITS: readonly { readonly name: string; readonly template: URL }[] = [
  { name: 'pacman-guard-metrics.service', template: new URL('../../hooks/systemd/pacman-guard-metrics.service.in', import.meta.url) },
  { name: 'pacman-guard-metrics.timer', template: new URL('../../hooks/systemd/pacman-guard-metrics.timer', import.meta.url) },
];

/** The boot lock's script in the package guardMain belongs to (PACKAGE/dist/cli/main.js → PACKAGE/hooks/systemd/boot-lock.sh). */
export function bootLockScript(guardMain: string): string {
  return join(dirname(dirname(dirname(guardMain))), 'hooks/systemd/boot-lock.sh');
}

/**
 * Fills @GUARD_EXEC@ (and the boot lock's @BOOT_LOCK@ and @BOOT_TOKEN@, the
 * token src/fit/boot-token.ts writes) in the hook and the units: none runs a
 * shell on its lines, so paths may not contain white space. (The token's path
 * is passed in: this module is loaded beside every bundle that names the hook.)
 */
export function renderHook(template: string, node: string, guardMain: string, bootToken?: string): string {
  const script = bootLockScript(guardMain);
  for (const path of [node, guardMain, script, ...(bootToken ? [bootToken] : [])]) {
    if (/\s/.test(path)) throw new GuardError(`cannot use '${path}' in a libalpm hook: it contains white space`, { exitCode: ExitCode.Usage });
  }
  if (template.includes('@BOOT_TOKEN@') && !bootToken) throw new Error('renderHook: the template names the boot lock\'s token, and none was given');
  return template.replaceAll('@GUARD_EXEC@', `${node} ${guardMain}`).replaceAll('@BOOT_LOCK@', script).replaceAll('@BOOT_TOKEN@', bootToken ?? '');
}

export async function readTemplate(template: URL): Promise<string> {
  return readFile(template, 'utf8');
}
