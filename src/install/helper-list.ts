/**
 * `guard install --helpers LIST`: which AUR helper shims to install next to
 * the pacman shim. Both by default, so that yay and paru are checked before
 * they clone and build, not only at their final `pacman -U`.
 */
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { HELPER_NAMES, type HelperName } from '../helpers/options.js';

const isHelperName = (name: string): name is HelperName => (HELPER_NAMES as readonly string[]).includes(name);

/** `yay,paru`, a subset, or `none`; in HELPER_NAMES order whatever the order given, so plans are stable. */
export function parseHelperList(list: string | undefined): HelperName[] {
  if (list === undefined) return [...HELPER_NAMES];
  if (list === 'none') return [];
  const names = list.split(',');
  if (names.includes('none')) throw new GuardError("--helpers: 'none' cannot be combined with helper names", { exitCode: ExitCode.Usage });
  const unknown = names.filter((name) => !isHelperName(name));
  if (unknown.length > 0) {
    const shown = unknown.map((name) => `'${name}'`).join(', ');
    throw new GuardError(`--helpers: unknown helper ${shown} (known: ${HELPER_NAMES.join(', ')}; or none)`, {
      exitCode: ExitCode.Usage,
      hints: [`  e.g. --helpers ${HELPER_NAMES.join(',')}, --helpers ${HELPER_NAMES[0]} or --helpers none`],
    });
  }
  return HELPER_NAMES.filter((name) => names.includes(name));
}
