/**
 * guard(8) and the shell completions, rendered from the command registry and
 * each command's own usage and options, so the documentation cannot drift from
 * the code (`guard docs man|bash|zsh|fish`; the PKGBUILD installs the output).
 */
import { EXIT_CODE_DESCRIPTIONS, ExitCode } from '../exit-codes.js';
import { HELPER_NAMES } from '../helpers/options.js';
import { HELPER_SHIMS } from '../shim/render-helper.js';
import { VERSION } from '../version.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands.js';

export interface DocumentedCommand {
  readonly name: string;
  readonly summary: string;
  readonly command: Command;
}

export async function documentedCommands(): Promise<DocumentedCommand[]> {
  const visible = COMMANDS.filter((entry) => !entry.internal);
  return Promise.all(visible.map(async (entry) => ({ name: entry.name, summary: entry.summary, command: await entry.load() })));
}

/** roff-escapes text: backslashes, leading dots and quotes, hyphens. */
function roff(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

export { optionNames, renderCompletion } from './completion.js';

/** The man page's date: SOURCE_DATE_EPOCH when set (reproducible builds; makepkg sets it), else today. */
export function manPageDate(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

/** What guard and its shims read from the environment (the README's table says the same). */
export const ENVIRONMENT: readonly (readonly [string, string])[] = [
  ['PACMAN_GUARD_REAL_PACMAN', 'The real pacman, for the shim and guard (default /usr/bin/pacman, or guard install --real-pacman).'],
  ['PACMAN_GUARD_REAL_YAY, PACMAN_GUARD_REAL_PARU', 'The real helper, for the yay and paru shims (default /usr/bin/yay, /usr/bin/paru).'],
  ['PACMAN_GUARD_SHIM_PID, PACMAN_GUARD_YAY_SHIM_PID, PACMAN_GUARD_PARU_SHIM_PID', 'Set by each shim to its own PID before it execs: a shim that finds its own PID there was exec\'d into again, and refuses. Do not set them.'],
  ['PACMAN_GUARD_CALLER_PID', 'Set by the shims: the process that ran pacman, for the audit trail.'],
  ['NO_COLOR', 'Any non-empty value: no colour unless --color always is given.'],
  ['POSIXLY_CORRECT', "pacman's getopt stops at the first operand; guard parses the command line as pacman will."],
  ['SUDO_USER', 'Recorded in the audit trail (sudo_user=).'],
  ['SYSTEMD_SYSEXT_HIERARCHIES, SYSTEMD_CONFEXT_HIERARCHIES', 'The hierarchies systemd-sysext merges (default /usr:/opt, and /etc), for guard install and guard extend.'],
];

export const EXAMPLES: readonly (readonly [string, string])[] = [
  ['guard status --short', 'The state in one line; exit status 0 disengaged, 3 engaged, 4 unknown, 5 merged while the database is writable.'],
  ['sudo guard update', "The weekly upgrade: pacman -Syu in guard update's maintenance window, then the lock and the extensions back."],
  ['sudo guard extend ripgrep', 'Add a repository package as a system extension instead of installing it.'],
  ['sudo guard extend --remove ripgrep', 'Take it out again.'],
  ['guard check -- -S ripgrep', 'What pacman -S ripgrep would do, and whether the guard allows it.'],
  ['guard doctor', 'Check the whole setup; each problem comes with its fix.'],
  ['node dist/cli/main.js docs man | man -l -', 'Read this page from a checkout, after npm ci && npm run build.'],
];

export function renderManPage(commands: readonly DocumentedCommand[], date = manPageDate()): string {
  const exitCodes = (Object.values(ExitCode).filter((code): code is ExitCode => typeof code === 'number'));
  const lines = [
    `.TH GUARD 8 "${date.toISOString().slice(0, 10)}" "pacman-guard ${VERSION}" "pacman-guard"`,
    '.SH NAME',
    'guard \\- keep pacman from changing a system whose /usr is extended by systemd\\-sysext',
    '.SH SYNOPSIS',
    '.B guard',
    '[\\fB\\-\\-color\\fR \\fIwhen\\fR] \\fIcommand\\fR [\\fIoptions\\fR]',
    '.SH DESCRIPTION',
    roff('While system extensions are merged, or pacman\'s database is locked read-only, pacman-guard refuses every pacman command that would change this system before pacman starts, and says what was refused, why, and the commands that proceed. Everything else behaves exactly like pacman.'),
    '.SH COMMANDS',
    ...commands.flatMap(({ summary, command }) => [
      // One tag per usage line: .TQ adds a tag without a blank line between.
      ...command.usage.split('\n').flatMap((usage, index) => [index === 0 ? '.TP' : '.TQ', `.B ${roff(usage.trim())}`]),
      roff(summary.charAt(0).toUpperCase() + summary.slice(1)) + '.',
      ...(command.details ? ['.br', roff(command.details.replace(/\n/g, ' '))] : []),
      ...command.options.flatMap(([flags, description]) => ['.RS', '.TP', `.B ${roff(flags)}`, roff(description), '.RE']),
    ]),
    '.SH THE PACMAN SHIM',
    roff('A shell script named pacman, installed ahead of /usr/bin/pacman on PATH and in sudo\'s secure_path (guard install). It execs the real pacman (PACMAN_GUARD_REAL_PACMAN, default /usr/bin/pacman) with the same arguments, environment and terminal when nothing is merged and the database is writable, and for command lines that certainly do not take the database lock; otherwise it asks guard, which refuses mutating operations on this system while extensions are merged or the database is locked. It exits with pacman\'s status, or with 3 or 4 when it refuses. The pacman-guard package installs it as /usr/lib/pacman-guard/bin/pacman, first on PATH for login shells by /etc/profile.d/pacman-guard.sh; for sudo, install /usr/share/doc/pacman-guard/sudoers.example as /etc/sudoers.d/pacman-guard.'),
    '.SH THE YAY AND PARU SHIMS',
    roff(`Shell scripts named ${HELPER_NAMES.join(' and ')}, installed next to the pacman shim (guard install; --helpers chooses which). An AUR helper clones, builds and asks its questions before it runs pacman, so these decide before the helper starts: they exec the real helper (${HELPER_NAMES.map((helper) => `${HELPER_SHIMS[helper].realVariable}, default ${HELPER_SHIMS[helper].realHelper}`).join('; ')}) when nothing is merged and the database is not locked (for root: writable; for a user, who can never write it: not on a read-only mount, from /proc/self/mountinfo), and otherwise ask guard, which refuses the helper operations that would change this system. They exit with the helper's status, with 3 or 4 when they refuse, and with 127, as a missing command, when the helper is not installed.`),
    '.SH THE LIBALPM HOOK',
    roff('00-pacman-guard.hook, a PreTransaction hook with AbortOnFail for every install, upgrade and removal: the backstop for whatever bypasses the shim (/usr/bin/pacman by absolute path, AUR helpers configured so, libalpm front-ends). It aborts the transaction while extensions are merged. pacman runs it after downloading, so the shim remains the layer that fails fast.'),
    '.SH EXIT STATUS',
    ...exitCodes.flatMap((code) => ['.TP', `.B ${code}`, roff(EXIT_CODE_DESCRIPTIONS[code])]),
    '.SH ENVIRONMENT',
    ...ENVIRONMENT.flatMap(([names, meaning]) => [
      ...names.split(', ').flatMap((name, index) => [index === 0 ? '.TP' : '.TQ', `.B ${roff(name)}`]),
      roff(meaning),
    ]),
    '.SH EXAMPLES',
    ...EXAMPLES.flatMap(([example, meaning]) => ['.TP', `.B ${roff(example)}`, roff(meaning)]),
    '.SH FILES',
    '.TP', '.I /usr/share/libalpm/hooks/00\\-pacman\\-guard.hook', 'The libalpm hook.',
    '.TP', '.I /usr/lib/systemd/system/systemd\\-sysext.service.d/pacman\\-guard.conf', 'Keeps the lock in step with systemd\\-sysext.service.',
    '.TP', '.I /usr/lib/systemd/system/pacman\\-guard\\-metrics.timer', 'Runs guard metrics every minute (pacman\\-guard\\-metrics.service); shipped disabled.',
    '.TP', '.I /var/lib/prometheus/node\\-exporter/pacman\\-guard.prom', "The metrics guard metrics writes for node_exporter's textfile collector.",
    '.TP', '.I /usr/lib/pacman\\-guard/bin/pacman', 'The pacman shim, as the package installs it.',
    ...HELPER_NAMES.flatMap((helper) => ['.TP', `.I /usr/lib/pacman\\-guard/bin/${helper}`, `The ${helper} shim, as the package installs it.`]),
    '.TP', '.I /etc/profile.d/pacman\\-guard.sh', 'Puts the shims first on PATH for login shells.',
    '.TP', '.I /usr/share/doc/pacman\\-guard/sudoers.example', "sudo's secure_path with the shim first, for /etc/sudoers.d.",
    '.TP', '.I /etc/pacman\\-guard.conf', 'The policy: [options] Policy = refuse (the default) or redirect (build a system extension from pacman \\-S and \\-U instead).',
    '.TP', '.I /run/pacman\\-guard/', 'Serializes guard lock and guard unlock.',
    '.TP', '.I /var/log/pacman.log', 'Refusals and overrides, as [PACMAN\\-GUARD] lines.',
    '.SH SEE ALSO',
    '.BR pacman (8),',
    '.BR systemd\\-sysext (8),',
    '.BR alpm\\-hooks (5)',
  ];
  return `${lines.join('\n')}\n`;
}
