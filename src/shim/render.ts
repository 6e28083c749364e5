/**
 * Renders the pacman shim: a POSIX sh script, because starting Node costs
 * several times a whole `pacman -Q`. The script only
 *   1. refuses to run itself (PACMAN_GUARD_SHIM_PID survives exec, not fork),
 *   2. looks at /proc/self/mountinfo for a merged sysext/confext overlay or a
 *      read-only mount on pacman's database directory,
 *   3. when neither is there, or the command line is in the derived fast path,
 *      execs the real pacman with the same argv,
 *   4. otherwise asks `guard shim-check` (Node, the full model and probe) and
 *      execs pacman only if it says so.
 * Everything it knows about pacman's command line comes from the fast-path
 * rules, which come from the model.
 */
import { HELP_LETTERS, type FastPathRule } from './fast-path.js';
import { OPERATION_LETTERS } from '../pacman/options.js';

export interface ShimSettings {
  /** The real pacman. */
  readonly realPacman: string;
  /** pacman's DBPath (pacman-conf DBPath), as mounted. */
  readonly dbPath: string;
  /** Absolute path of node; empty: `node` from PATH. */
  readonly node: string;
  /** Absolute path of guard's dist/cli/main.js; empty: relative to the shim's real location (a checkout). */
  readonly guardMain: string;
}

/** Spelled out: ranges in sh patterns depend on the locale. */
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const CHECKOUT_SHIM_SETTINGS: ShimSettings = {
  realPacman: '/usr/bin/pacman',
  dbPath: '/var/lib/pacman',
  node: '',
  guardMain: '',
};

/** Single-quotes a string for sh. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A path as /proc/self/mountinfo prints it: no trailing slash, octal escapes for space, tab, newline, backslash. */
export function mountinfoPath(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.replace(/[ \t\n\\]/g, (character) => `\\${character.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** A glob-safe literal for a sh `case` pattern. */
function caseLiteral(text: string): string {
  return text.replace(/[\\*?[\]'" \t$`]/g, (character) => `\\${character}`);
}

function ruleBranch(rule: FastPathRule): string {
  const otherOperations = Object.keys(OPERATION_LETTERS).filter((letter) => letter !== rule.operation).join('');
  const allowed = `${rule.operation}${rule.allowed.join('')}`;
  const required = rule.required.length > 0 ? `-*[${rule.required.join('')}]*` : '-*';
  return [
    `\t\t-*${rule.operation}*)`,
    `\t\t\tcase $1 in`,
    `\t\t\t\t-*[${otherOperations}]*|-*[!${allowed}]*) ;;`,
    `\t\t\t\t${required}) fast=yes ;;`,
    `\t\t\tesac ;;`,
  ].join('\n');
}

export function renderShim(settings: ShimSettings, rules: readonly FastPathRule[]): string {
  const dbMount = caseLiteral(mountinfoPath(settings.dbPath));
  return `#!/bin/sh
# pacman-guard's pacman shim. Generated from the pacman command-line model
# (src/shim/render.ts, src/shim/fast-path.ts): do not edit; run
# 'npm run generate' (checkout) or 'guard install' (installed copy).
#
# Exit status: pacman's own, or guard's: 3 refused (extensions merged or the
# database locked), 4 refused because the state could not be determined.

real_pacman=\${PACMAN_GUARD_REAL_PACMAN:-${shellQuote(settings.realPacman)}}
node=${shellQuote(settings.node)}
guard_main=${shellQuote(settings.guardMain)}

# exec keeps the PID: if the "real" pacman is this shim again, we would loop.
if [ "\${PACMAN_GUARD_SHIM_PID:-}" = "$$" ]; then
	printf 'error: pacman-guard: %s is the pacman shim, not pacman\\n' "$real_pacman" >&2
	printf '  set PACMAN_GUARD_REAL_PACMAN to the real pacman, or run: guard doctor\\n' >&2
	exit 4
fi
PACMAN_GUARD_SHIM_PID=$$
export PACMAN_GUARD_SHIM_PID

# Engaged: a system extension overlay is merged anywhere, or the database
# directory has a read-only mount. Anything unclear is left to guard.
state=free
{
	while IFS= read -r line; do
		case $line in
			*" - overlay sysext "*|*" - overlay confext "*) state=engaged; break ;;
			*" ${dbMount} ro,"*|*" ${dbMount} ro "*) state=engaged; break ;;
		esac
	done
} < /proc/self/mountinfo 2>/dev/null || state=unknown

if [ "$state" = free ]; then
	exec "$real_pacman" "$@"
fi

# Command lines that certainly do not take the database lock.
fast=no
if [ "$state" = engaged ]; then
	case $1 in
		-*[!${LETTERS}]*|-) ;;
		-*[br]*) ;;
		-*[${HELP_LETTERS.join('')}]*) fast=yes ;;
${rules.map(ruleBranch).join('\n')}
	esac
	if [ "$fast" = yes ]; then
		skip=yes
		for word do
			if [ "$skip" = yes ]; then skip=no; continue; fi
			case $word in -*) fast=no; break ;; esac
		done
	fi
fi
if [ "$fast" = yes ]; then
	exec "$real_pacman" "$@"
fi

if [ -z "$guard_main" ]; then
	self=$(readlink -f -- "$0") || self=$0
	guard_main=\${self%/*}/../dist/cli/main.js
fi
if [ -z "$node" ]; then
	node=$(command -v node) || node=
fi
if [ -z "$node" ] || [ ! -r "$guard_main" ]; then
	printf 'error: pacman-guard cannot check this command: %s\\n' "\${node:-node not found}, $guard_main" >&2
	printf '  refusing it because the system state cannot be checked; run: guard doctor\\n' >&2
	exit 4
fi
PACMAN_GUARD_REAL_PACMAN=$real_pacman PACMAN_GUARD_CALLER_PID=$PPID "$node" "$guard_main" shim-check -- "$@"
status=$?
if [ "$status" -eq 0 ]; then
	exec "$real_pacman" "$@"
fi
exit "$status"
`;
}
