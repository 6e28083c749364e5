import {
  SHIM_HANDLED
} from "./chunk-YJFO2KKY.js";
import {
  GLOBAL_MODIFIERS,
  OPERATION_LETTERS,
  OPERATION_MODIFIERS,
  PACMAN_VARIANTS,
  isAvailableIn,
  parsePacmanCommand
} from "./chunk-4WA2TRF5.js";
import {
  markerDirectory
} from "./chunk-SIRNJXXP.js";

// src/shim/fast-path.ts
var HELP_LETTERS = ["h", "V"];
function candidateLetters(operation, variants) {
  const letters = /* @__PURE__ */ new Set();
  for (const modifier of [...OPERATION_MODIFIERS[operation], ...GLOBAL_MODIFIERS]) {
    if (!modifier.short || modifier.effect !== "switch") continue;
    if (variants.some((variant) => !isAvailableIn(modifier.since, variant))) continue;
    letters.add(modifier.short);
  }
  return [...letters].sort();
}
var mayLockAnswers = /* @__PURE__ */ new Map();
function mayLock(operation, letters, variants) {
  const cluster = `-${operation}${letters}`;
  const key = `${variants.join(",")} ${cluster}`;
  let answer = mayLockAnswers.get(key);
  if (answer === void 0) {
    answer = variants.some(
      (variant) => parsePacmanCommand([cluster], { variant }).needsLock || parsePacmanCommand([cluster, "package"], { variant }).needsLock
    );
    mayLockAnswers.set(key, answer);
  }
  return answer;
}
function* subsets(letters) {
  const count = 1 << letters.length;
  for (let mask = 0; mask < count; mask++) {
    let subset = "";
    for (let bit = 0; bit < letters.length; bit++) if (mask & 1 << bit) subset += letters[bit];
    yield subset;
  }
}
function findLockingCombination(rule, variants = PACMAN_VARIANTS) {
  const requiredChoices = rule.required.length === 0 ? [""] : rule.required;
  for (const required of requiredChoices) {
    for (const subset of subsets(rule.allowed.filter((letter) => letter !== required))) {
      if (mayLock(rule.operation, required + subset, variants)) return `-${rule.operation}${required}${subset}`;
    }
  }
  return void 0;
}
function deriveRule(letter, variants) {
  const operation = OPERATION_LETTERS[letter];
  const candidates = candidateLetters(operation, variants);
  const required = mayLock(letter, "", variants) ? candidates.filter((candidate) => !mayLock(letter, candidate, variants)) : [];
  if (mayLock(letter, "", variants) && required.length === 0) return void 0;
  const requiredChoices = required.length === 0 ? [""] : required;
  let allowed = candidates.filter((candidate) => !required.includes(candidate) && requiredChoices.every((choice) => !mayLock(letter, choice + candidate, variants)));
  for (; ; ) {
    const locking = findLockingCombination({ operation: letter, required, allowed }, variants);
    if (locking === void 0) break;
    const culprit = allowed.find((candidate) => locking.slice(2).includes(candidate));
    if (culprit === void 0) return void 0;
    allowed = allowed.filter((candidate) => candidate !== culprit);
  }
  return { operation: letter, required, allowed: [...required, ...allowed].sort() };
}
function deriveFastPathRules(variants = PACMAN_VARIANTS) {
  return Object.keys(OPERATION_LETTERS).flatMap((letter) => {
    const rule = deriveRule(letter, variants);
    return rule ? [rule] : [];
  });
}

// src/shim/render.ts
var LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function shimMarker(command) {
  return `pacman-guard's ${command} shim`;
}
function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
function ruleBranch(rule) {
  const otherOperations = Object.keys(OPERATION_LETTERS).filter((letter) => letter !== rule.operation).join("");
  const allowed = `${rule.operation}${rule.allowed.join("")}`;
  const required = rule.required.length > 0 ? `-*[${rule.required.join("")}]*` : "-*";
  return [
    `	-*${rule.operation}*)`,
    `		case $1 in`,
    `			-*[${otherOperations}]*|-*[!${allowed}]*) ;;`,
    `			${required}) fast=yes ;;`,
    `		esac ;;`
  ].join("\n");
}
var FREQUENCY = ["Q", "S", "F", "T", "D", "R", "U"];
function byFrequency(rules) {
  const rank = (rule) => (FREQUENCY.indexOf(rule.operation) + FREQUENCY.length + 1) % (FREQUENCY.length + 1);
  return [...rules].sort((a, b) => rank(a) - rank(b));
}
var LOCATE_GUARD = `if [ -z "$guard_main" ]; then
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
function selfLoopCheck(command, pidVariable, realVariable, overrideVariable) {
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
function engagedTest(settings, databaseTest = `[ ! -w ${shellQuote(settings.dbPath)} ]`, readOnlyTest = (path) => `[ ! -w ${shellQuote(path)} ]`) {
  const markers = [
    ...settings.sysextHierarchies.map((hierarchy) => markerDirectory(hierarchy, "sysext")),
    ...settings.confextHierarchies.map((hierarchy) => markerDirectory(hierarchy, "confext"))
  ];
  const images = settings.sysextHierarchies.map((hierarchy) => `{ [ -e ${shellQuote(hierarchy)} ] && ${readOnlyTest(hierarchy)}; }`);
  return [...markers.map((marker) => `[ -d ${shellQuote(marker)} ]`), databaseTest, ...images].join(" || ");
}
function renderShim(settings, rules) {
  return `#!/bin/sh
# ${shimMarker("pacman")}. Generated from the pacman command-line model
# (src/shim/render.ts, src/shim/fast-path.ts): do not edit; run
# 'npm run generate' (checkout) or 'guard install' (installed copy).
#
# Exit status: pacman's own, or guard's: 3 refused (extensions merged or the
# database locked), 4 refused because the state could not be determined.

real_pacman=\${PACMAN_GUARD_REAL_PACMAN:-${shellQuote(settings.realPacman)}}
node=${shellQuote(settings.node)}
guard_main=${shellQuote(settings.guardMain)}

# exec keeps the PID: if the "real" pacman is this shim again, we would loop.
${selfLoopCheck("pacman", "PACMAN_GUARD_SHIM_PID", "real_pacman", "PACMAN_GUARD_REAL_PACMAN")}
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
	-*[${HELP_LETTERS.join("")}]*) fast=yes ;;
${byFrequency(rules).map(ruleBranch).join("\n")}
esac
if [ "$fast" = yes ]; then
	skip=yes
	for word do
		if [ "$skip" = yes ]; then skip=no; continue; fi
		case $word in -*) fast=no; break ;; esac
	done
fi
if [ "$fast" = yes ]; then
	exec "$real_pacman" "$@"
fi

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

// src/shim/render-helper.ts
var HELPER_SHIMS = {
  yay: { realHelper: "/usr/bin/yay", realVariable: "PACMAN_GUARD_REAL_YAY", pidVariable: "PACMAN_GUARD_YAY_SHIM_PID" },
  paru: { realHelper: "/usr/bin/paru", realVariable: "PACMAN_GUARD_REAL_PARU", pidVariable: "PACMAN_GUARD_PARU_SHIM_PID" }
};
function helperShimSettings(helper, shim, realHelper = HELPER_SHIMS[helper].realHelper) {
  const { realPacman: _realPacman, ...common } = shim;
  return { ...common, realHelper };
}
var READ_ONLY_FUNCTION = `read_only() {
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
function renderHelperShim(helper, settings) {
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
${selfLoopCheck(helper, pidVariable, "real_helper", realVariable)}
${pidVariable}=$$
export ${pidVariable}

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

export {
  deriveFastPathRules,
  shimMarker,
  renderShim,
  HELPER_SHIMS,
  helperShimSettings,
  renderHelperShim
};
//# sourceMappingURL=chunk-JOIKW67E.js.map
