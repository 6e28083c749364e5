/**
 * Renders the pacman shim: a POSIX sh script, because starting Node costs
 * several times a whole `pacman -Q`. The script only
 *   1. refuses to run itself (PACMAN_GUARD_SHIM_PID survives exec, not fork),
 *   2. looks for systemd-sysext's marker directory in each hierarchy
 *      (`<hierarchy>/.systemd-sysext`, only present while merged) and whether
 *      pacman's database directory is writable (access(2) says EROFS under
 *      the lock): a few stat calls, where reading /proc/self/mountinfo in sh
 *      (byte by byte) measured at +23 % on a `pacman -Q` against +9 %,
 *   3. when neither is there, or the command line is in the derived fast path,
 *      execs the real pacman with the same argv,
 *   4. otherwise asks `guard shim-check` (Node, the full model and probe) and
 *      execs pacman only if it says so.
 * Everything it knows about pacman's command line comes from the fast-path
 * rules, which come from the model.
 */
import { HELP_LETTERS, type FastPathRule } from './fast-path.js';
import { OPERATION_LETTERS } from '../pacman/options.js';
import { markerDirectory } from '../system/sysext.js';
import { SHIM_HANDLED } from './protocol.js';

export interface ShimSettings {
  /** The real pacman. */
  readonly realPacman: string;
  /** pacman's DBPath (pacman-conf DBPath). */
  readonly dbPath: string;
  /** Hierarchies systemd-sysext merges (SYSTEMD_SYSEXT_HIERARCHIES; default /usr and /opt). */
  readonly sysextHierarchies: readonly string[];
  /** Hierarchies systemd-confext merges (default /etc). */
  readonly confextHierarchies: readonly string[];
  /** Absolute path of node; empty: `node` from PATH. */
  readonly node: string;
  /** Absolute path of guard's dist/cli/main.js; empty: relative to the shim's real location (a checkout). */
  readonly guardMain: string;
}

/** Spelled out: ranges in sh patterns depend on the locale. */
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const CHECKOUT_SHIM_SETTINGS: ShimSettings = {
  realPacman: '/usr/bin/pacman',
  dbPath: '/var/lib/pacman',
  sysextHierarchies: ['/usr', '/opt'],
  confextHierarchies: ['/etc'],
  node: '',
  guardMain: '',
};

/** What a shim's header says it is: guard doctor tells our shims from the real commands by it. */
export function shimMarker(command: string): string {
  return `pacman-guard's ${command} shim`;
}

/** Single-quotes a string for sh. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function ruleBranch(rule: FastPathRule): string {
  const otherOperations = Object.keys(OPERATION_LETTERS).filter((letter) => letter !== rule.operation).join('');
  const allowed = `${rule.operation}${rule.allowed.join('')}`;
  const required = rule.required.length > 0 ? `-*[${rule.required.join('')}]*` : '-*';
  return [
    `\t-*${rule.operation}*)`,
    `\t\tcase $1 in`,
    `\t\t\t-*[${otherOperations}]*|-*[!${allowed}]*) ;;`,
    `\t\t\t${required}) fast=yes ;;`,
    `\t\tesac ;;`,
  ].join('\n');
}

/** Common operations first: sh tries the patterns in order, and a -Q should not wait behind -D. */
const FREQUENCY = ['Q', 'S', 'F', 'T', 'D', 'R', 'U'];
function byFrequency(rules: readonly FastPathRule[]): FastPathRule[] {
  const rank = (rule: FastPathRule) => (FREQUENCY.indexOf(rule.operation) + FREQUENCY.length + 1) % (FREQUENCY.length + 1);
  return [...rules].sort((a, b) => rank(a) - rank(b));
}

/**
 * Shell lines that find node and guard's main.js (a checkout's wrappers/ leave
 * them empty: node from PATH, dist/ beside the shim), or refuse with exit 4:
 * without guard the state cannot be checked. Each failure names the one
 * thing that is missing and how to get it back, and the shell never gets to
 * print its own "Permission denied".
 */
export const LOCATE_GUARD = `if [ -z "$guard_main" ]; then
	self=$(readlink -f -- "$0") || self=$0
	guard_main=\${self%/*}/../dist/cli/main.js
fi
if [ -z "$node" ]; then
	node=$(command -v node) || node=
fi
if [ -z "$node" ]; then
	printf 'error: pacman-guard cannot check this command: node (Node.js) is not installed, or not on PATH\\n' >&2
	printf '  refusing it, because the system state cannot be checked without it; install Node.js (nodejs)\\n' >&2
	exit 4
fi
if [ ! -f "$node" ] || [ ! -x "$node" ]; then
	printf 'error: pacman-guard cannot check this command: %s is not an executable file\\n' "$node" >&2
	printf '  refusing it, because the system state cannot be checked without Node.js; fix its permissions or reinstall it (nodejs)\\n' >&2
	exit 4
fi
if [ ! -r "$guard_main" ]; then
	printf 'error: pacman-guard cannot check this command: %s is missing or unreadable\\n' "$guard_main" >&2
	printf '  refusing it, because the system state cannot be checked without it; build it (npm ci && npm run build) or reinstall pacman-guard\\n' >&2
	exit 4
fi
`;

/**
 * sh lines that exec the real command when the fast path matched the
 * operation and every word after the first is a target (no option to
 * re-read); `fast` is set by the case before them.
 */
export function execIfTargetsOnly(realVariable: string): string {
  return `if [ "$fast" = yes ]; then
	skip=yes
	for word do
		if [ "$skip" = yes ]; then skip=no; continue; fi
		case $word in -*) fast=no; break ;; esac
	done
fi
if [ "$fast" = yes ]; then
	exec "$${realVariable}" "$@"
fi`;
}

/**
 * exec keeps the PID, so a shim that finds its own PID in \`pidVariable\` has
 * been exec'd into again: the "real" command is this shim (or a wrapper that
 * execs it), or the variable was set from outside. Only in that rare case
 * does the shim read the real command's file, to say which it is.
 */
export function selfLoopCheck(command: string, pidVariable: string, realVariable: string, overrideVariable: string): string {
  return `if [ "\${${pidVariable}:-}" = "$$" ]; then
	if grep -qsF ${shellQuote(shimMarker(command))} "$${realVariable}"; then
		printf 'error: pacman-guard: %s is the ${command} shim, not ${command}\\n' "$${realVariable}" >&2
		printf '  set ${overrideVariable} to the real ${command}, or run: guard doctor\\n' >&2
	else
		printf 'error: pacman-guard: ${pidVariable} is this process (%s): %s runs this shim again, or the variable was set outside the shim\\n' "$$" "$${realVariable}" >&2
		printf '  unset ${pidVariable}; if it persists, set ${overrideVariable} to the real ${command}, or run: guard doctor\\n' >&2
	fi
	exit 4
fi`;
}

/**
 * The shims' quick test for "possibly engaged", as a sh list: a marker
 * directory exists (`<hierarchy>/.systemd-sysext`, only while merged),
 * `databaseTest` (default: the database directory is not writable), or an
 * existing hierarchy of the image is read-only (`readOnlyTest`, default: not
 * writable; access(2) says EROFS for root on a read-only mount).
 */
export function engagedTest(
  settings: Pick<ShimSettings, 'dbPath' | 'sysextHierarchies' | 'confextHierarchies'>,
  databaseTest = `[ ! -w ${shellQuote(settings.dbPath)} ]`,
  readOnlyTest = (path: string) => `[ ! -w ${shellQuote(path)} ]`,
): string {
  const markers = [
    ...settings.sysextHierarchies.map((hierarchy) => markerDirectory(hierarchy, 'sysext')),
    ...settings.confextHierarchies.map((hierarchy) => markerDirectory(hierarchy, 'confext')),
  ];
  const images = settings.sysextHierarchies.map((hierarchy) => `{ [ -e ${shellQuote(hierarchy)} ] && ${readOnlyTest(hierarchy)}; }`);
  return [...markers.map((marker) => `[ -d ${shellQuote(marker)} ]`), databaseTest, ...images].join(' || ');
}

export function renderShim(settings: ShimSettings, rules: readonly FastPathRule[]): string {
  return `#!/bin/sh
# ${shimMarker('pacman')}. Generated from the pacman command-line model
# (src/shim/render.ts, src/shim/fast-path.ts): do not edit; run
# 'npm run generate' (checkout) or 'guard install' (installed copy).
#
# Exit status: pacman's own, or guard's: 3 refused (extensions merged or the
# database locked), 4 refused because the state could not be determined.

real_pacman=\${PACMAN_GUARD_REAL_PACMAN:-${shellQuote(settings.realPacman)}}
node=${shellQuote(settings.node)}
guard_main=${shellQuote(settings.guardMain)}

# exec keeps the PID: if the "real" pacman is this shim again, we would loop.
${selfLoopCheck('pacman', 'PACMAN_GUARD_SHIM_PID', 'real_pacman', 'PACMAN_GUARD_REAL_PACMAN')}
PACMAN_GUARD_SHIM_PID=$$
export PACMAN_GUARD_SHIM_PID

# Possibly engaged: an extension is merged on a hierarchy (its marker
# directory exists only while merged), the database directory is not
# writable (read-only under the lock; never writable for non-root users, who
# then get the full check), or a hierarchy of the image is read-only. guard
# decides anything that is not clearly free.
if ! { ${engagedTest(settings)}; }; then
	exec "$real_pacman" "$@"
fi

# Command lines that certainly do not take the database lock.
fast=no
case $1 in
	-*[!${LETTERS}]*|-) ;;
	-*[br]*) ;;
	-*[${HELP_LETTERS.join('')}]*) fast=yes ;;
${byFrequency(rules).map(ruleBranch).join('\n')}
esac
${execIfTargetsOnly('real_pacman')}

${LOCATE_GUARD}PACMAN_GUARD_REAL_PACMAN=$real_pacman PACMAN_GUARD_CALLER_PID=$PPID "$node" "$guard_main" shim-check -- "$@"
status=$?
if [ "$status" -eq 0 ]; then
	exec "$real_pacman" "$@"
fi
# guard did the work instead (Policy = redirect built a system extension).
if [ "$status" -eq ${SHIM_HANDLED} ]; then
	exit 0
fi
exit "$status"
`;
}
