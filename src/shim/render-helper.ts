/**
 * Renders the yay and paru shims. An AUR helper clones, builds and asks its
 * questions before it ever runs pacman, so the pacman shim sees only the end
 * of its work; these shims decide before the helper starts. Like the pacman
 * shim (render.ts) they are POSIX sh and
 *   0. fail as a missing command would (127) when the real helper is not
 *      installed: the package puts both shims first on PATH whether or not
 *      yay or paru is there, and a missing helper must still look missing,
 *   1. refuse to run themselves (the PID variable survives exec, not fork),
 *   2. exec the real helper at once for a read-only command line in the
 *      derived fast path (helper-fast-path.ts, derive-helper-fast-path.ts: `yay -Ss x`, `paru -Qua`),
 *      whatever the state, because guard allows read-only operations in
 *      every state; a case statement costs nothing next to Node's start,
 *   3. exec the real helper at once unless the system is possibly engaged:
 *      a marker directory, as in the pacman shim; for the database and the
 *      image's hierarchies, root tests writability as the pacman shim does,
 *      but helpers run as the user, who can never write them, so for anyone
 *      else the shim asks /proc/self/mountinfo whether the mount each
 *      directory is on (the last, longest mount point above its real path)
 *      is read-only, as the lock (and a read-only image) makes it. Reading mountinfo in sh costs about 1 ms; the
 *      alternative, asking guard on every call, costs Node's start (~100 ms),
 *   4. otherwise ask `guard helper-check` (the helper model, the probe and
 *      the policy) and exec the helper only if it says so.
 * Where the shim cannot tell (no mountinfo, a database path with characters
 * mountinfo escapes, a missing directory) it asks guard, which fails closed.
 */
import type { HelperName } from '../helpers/options.js';
import { MAX_FAST_PATH_MODIFIERS, type HelperFastPathRule } from './helper-fast-path.js';
import { CHECKOUT_SHIM_SETTINGS, LETTERS, LOCATE_GUARD, engagedTest, execIfTargetsOnly, selfLoopCheck, shellQuote, shimMarker, type ShimSettings } from './render.js';

export interface HelperShimSettings extends Omit<ShimSettings, 'realPacman'> {
  /** The real helper. */
  readonly realHelper: string;
}

/** Per helper: where the real one is, and the variables that override it and detect a loop. */
export const HELPER_SHIMS: Readonly<Record<HelperName, { readonly realHelper: string; readonly realVariable: string; readonly pidVariable: string }>> = {
  yay: { realHelper: '/usr/bin/yay', realVariable: 'PACMAN_GUARD_REAL_YAY', pidVariable: 'PACMAN_GUARD_YAY_SHIM_PID' },
  paru: { realHelper: '/usr/bin/paru', realVariable: 'PACMAN_GUARD_REAL_PARU', pidVariable: 'PACMAN_GUARD_PARU_SHIM_PID' },
};

/** A helper shim's settings from the pacman shim's: the same node, guard and hierarchies, another real command. */
export function helperShimSettings(helper: HelperName, shim: ShimSettings, realHelper = HELPER_SHIMS[helper].realHelper): HelperShimSettings {
  const { realPacman: _realPacman, ...common } = shim;
  return { ...common, realHelper };
}

/** The settings of a checkout's wrappers/ (node from PATH, guard next to the shim). */
export function checkoutHelperShimSettings(helper: HelperName): HelperShimSettings {
  return helperShimSettings(helper, CHECKOUT_SHIM_SETTINGS);
}

/**
 * sh function: true when the directory $1 is, or may be, on a read-only mount
 * (pacman's database under the lock, or the image; see the header).
 * mountinfo escapes space, tab, newline and backslash as octal, so a real
 * path with anything but these plain characters is left to guard.
 */
const READ_ONLY_FUNCTION = `read_only() {
	if [ -O / ]; then
		[ ! -w "$1" ]
		return
	fi
	dir=$(cd -P -- "$1" 2>/dev/null && pwd -P) || return 0
	case $dir in
	''|*[!${LETTERS}0123456789._/+@:-]*) return 0 ;;
	esac
	[ -r /proc/self/mountinfo ] || return 0
	covering='' read_only=''
	while read -r _ _ _ _ point options _; do
		case $point in
		/|"$dir") ;;
		*) case $dir in "$point"/*) ;; *) continue ;; esac ;;
		esac
		[ \${#point} -ge \${#covering} ] || continue
		covering=$point
		case ,$options, in
		*,ro,*) read_only=yes ;;
		*) read_only=no ;;
		esac
	done </proc/self/mountinfo
	[ "$read_only" != no ]
}`;

/** One case arm per rule: the operation letter first, up to MAX_FAST_PATH_MODIFIERS allowed letters after it. */
function ruleBranch(rule: HelperFastPathRule): string {
  const clusters = Array.from({ length: MAX_FAST_PATH_MODIFIERS + 1 }, (_, count) => `-${rule.operation}${'?'.repeat(count)}`).join('|');
  if (rule.allowed.length === 0) return `\t${clusters})\n\t\t[ "$1" = -${rule.operation} ] && fast=yes ;;`;
  const admitted = rule.required.length > 0 ? `*[${rule.required.join('')}]*` : '*';
  return [
    `\t${clusters})`,
    `\t\tcase \${1#-${rule.operation}} in`,
    `\t\t\t*[!${rule.allowed.join('')}]*) ;;`,
    `\t\t\t${admitted}) fast=yes ;;`,
    `\t\tesac ;;`,
  ].join('\n');
}

/** Common operations first: sh tries the arms in order, and a -Ss should not wait behind -W. */
const FREQUENCY = ['S', 'Q', 'G', 'P'];
function byFrequency(rules: readonly HelperFastPathRule[]): HelperFastPathRule[] {
  const rank = (rule: HelperFastPathRule) => (FREQUENCY.indexOf(rule.operation) + FREQUENCY.length + 1) % (FREQUENCY.length + 1);
  return [...rules].sort((a, b) => rank(a) - rank(b));
}

/** sh lines that exec the helper for a command line in the fast path; \`rules\` come from helperFastPathRules(). */
function fastPath(rules: readonly HelperFastPathRule[]): string {
  return `fast=no
case $1 in
${byFrequency(rules).map(ruleBranch).join('\n')}
esac
${execIfTargetsOnly('real_helper')}`;
}

/** The shim for `helper`; `rules` are helperFastPathRules(helper) (a test may give others). */
export function renderHelperShim(helper: HelperName, settings: HelperShimSettings, rules: readonly HelperFastPathRule[]): string {
  const { realVariable, pidVariable } = HELPER_SHIMS[helper];
  return `#!/bin/sh
# ${shimMarker(helper)}. Generated by src/shim/render-helper.ts: do not
# edit; run 'npm run generate' (checkout) or 'guard install' (installed copy).
#
# ${helper} clones and builds before it runs pacman: on an engaged system this
# refuses a ${helper} operation that would change the system before ${helper} starts.
# Exit status: ${helper}'s own, or guard's: 3 refused (extensions merged or the
# database locked), 4 refused because the state could not be determined; 127
# when ${helper} itself is not installed.

real_helper=\${${realVariable}:-${shellQuote(settings.realHelper)}}
node=${shellQuote(settings.node)}
guard_main=${shellQuote(settings.guardMain)}

# Not installed (this shim may be on PATH without ${helper}): what the shell says
# for a missing command, and exit 127 as it does, before anything else.
if [ ! -f "$real_helper" ] || [ ! -x "$real_helper" ]; then
	printf 'error: ${helper} is not installed: %s is not an executable file\\n' "$real_helper" >&2
	printf '  install ${helper}, or set ${realVariable} to the real ${helper} (this ${helper} is the pacman-guard shim)\\n' >&2
	exit 127
fi

# exec keeps the PID: if the "real" ${helper} is this shim again, we would loop.
${selfLoopCheck(helper, pidVariable, 'real_helper', realVariable)}
${pidVariable}=$$
export ${pidVariable}

# Read-only command lines (derived from ${helper}'s option table through
# guard's classification; see src/shim/helper-fast-path.ts): guard lets them
# run in every state, so ${helper} runs now, before any state test.
${fastPath(rules)}

# Possibly engaged: an extension is merged on a hierarchy, the database is
# (or may be) locked, or the image is read-only: guard decides.
${READ_ONLY_FUNCTION}
if ! { ${engagedTest(settings, `read_only ${shellQuote(settings.dbPath)}`, (path) => `read_only ${shellQuote(path)}`)}; }; then
	exec "$real_helper" "$@"
fi

${LOCATE_GUARD}PACMAN_GUARD_CALLER_PID=$PPID "$node" "$guard_main" helper-check ${helper} -- "$@"
status=$?
if [ "$status" -eq 0 ]; then
	exec "$real_helper" "$@"
fi
exit "$status"
`;
}
