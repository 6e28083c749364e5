import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GuardError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { HELPER_NAMES, type HelperName } from '../../helpers/options.js';
import { parseHelperList } from '../../install/helper-list.js';
import { install, planInstall, uninstall } from '../../install/install.js';
import { HELPER_SHIMS } from '../../shim/render-helper.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { extensionHierarchies } from '../../system/sysext.js';
import type { Command } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';

/** Where an Arch system looks first: /usr/local/bin precedes /usr/bin on PATH and in sudo's secure_path. */
export const DEFAULT_BINDIR = '/usr/local/bin';
export const DEFAULT_HOOKDIR = '/usr/share/libalpm/hooks';
export const DEFAULT_UNITDIR = '/etc/systemd/system';
export const DEFAULT_MANIFEST = '/var/lib/pacman-guard/installed.json';
const GUARD_MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const realHelperOption = (helper: HelperName) => `real-${helper}`;

/** --real-yay, --real-paru: the real helper a helper shim runs, where not HELPER_SHIMS' default. */
function realHelpers(values: Record<string, unknown>, helpers: readonly HelperName[]): Partial<Record<HelperName, string>> {
  const chosen: Partial<Record<HelperName, string>> = {};
  for (const helper of HELPER_NAMES) {
    const path = values[realHelperOption(helper)] as string | undefined;
    if (path === undefined) continue;
    // Silently ignoring it would leave whoever asked believing the shim is there.
    if (!helpers.includes(helper)) throw new GuardError(`--${realHelperOption(helper)} given, but --helpers leaves out the ${helper} shim`, { exitCode: ExitCode.Usage });
    chosen[helper] = path;
  }
  return chosen;
}

export const installCommand: Command = {
  name: 'install',
  usage: `guard install [--bindir DIR] [--hookdir DIR] [--unitdir DIR] [--helpers LIST] [--real-pacman PATH] ${HELPER_NAMES.map((helper) => `[--real-${helper} PATH]`).join(' ')} [--manifest FILE | --destdir DIR] [--node PATH]`,
  options: [
    ['--bindir <dir>', `where the pacman shim and the ${HELPER_NAMES.join(' and ')} shims go (default ${DEFAULT_BINDIR})`],
    ['--hookdir <dir>', `where the libalpm hook goes (default ${DEFAULT_HOOKDIR})`],
    ['--unitdir <dir>', `where the systemd-sysext.service drop-in and the metrics units go (default ${DEFAULT_UNITDIR})`],
    ['--helpers <list>', `the AUR helper shims to install: a comma-separated subset of ${HELPER_NAMES.join(',')}, or none (default ${HELPER_NAMES.join(',')})`],
    ['--real-pacman <path>', 'the pacman the shim runs (default /usr/bin/pacman)'],
    ...HELPER_NAMES.map((helper): [string, string] => [`--real-${helper} <path>`, `the ${helper} the ${helper} shim runs (default ${HELPER_SHIMS[helper].realHelper})`]),
    ['--manifest <file>', `the record of installed files (default ${DEFAULT_MANIFEST})`],
    ['--destdir <dir>', 'stage the files under DIR for a package (paths inside them stay as if installed; no manifest)'],
    ['--node <path>', 'the node the hook and the shims run (default: this one)'],
  ],
  details: [
    'Idempotent: files that are already up to date are left alone. A file that exists and',
    "was not installed by pacman-guard is never overwritten. The shims are rendered with",
    "pacman's DBPath (pacman-conf) and the sysext hierarchies of SYSTEMD_SYSEXT_HIERARCHIES",
    '(default /usr:/opt) and SYSTEMD_CONFEXT_HIERARCHIES (default /etc).',
    `The ${HELPER_NAMES.join(' and ')} shims refuse what would change the system before the`,
    'helper clones or builds anything; where the helper is not installed they exit 127, as',
    'a missing command does. A shim an earlier install wrote stays when --helpers leaves it',
    'out: guard uninstall removes everything any guard install wrote.',
    'pacman-guard-metrics.timer and .service (guard metrics every minute) are installed',
    'disabled: systemctl enable --now pacman-guard-metrics.timer.',
  ].join('\n'),
  async run(context) {
    const { values } = parseCommandOptions(context.args, {
      bindir: { type: 'string' },
      hookdir: { type: 'string' },
      unitdir: { type: 'string' },
      helpers: { type: 'string' },
      'real-pacman': { type: 'string' },
      ...Object.fromEntries(HELPER_NAMES.map((helper) => [realHelperOption(helper), { type: 'string' as const }])),
      manifest: { type: 'string' },
      destdir: { type: 'string' },
      node: { type: 'string' },
    });
    const destdir = values.destdir as string | undefined;
    if (destdir !== undefined && values.manifest !== undefined) throw new GuardError('--destdir and --manifest exclude each other: a package has no manifest', { exitCode: ExitCode.Usage });
    // Usage errors first: before pacman-conf runs or anything is read.
    const helpers = parseHelperList(values.helpers as string | undefined);
    const chosenRealHelpers = realHelpers(values, helpers);
    const staged = (path: string) => (destdir ? join(destdir, path) : path);
    // In a package build this very guard runs from the staging directory: the installed one lives at the same path without it.
    const guardMain = destdir && GUARD_MAIN.startsWith(`${resolve(destdir)}/`) ? GUARD_MAIN.slice(resolve(destdir).length) : GUARD_MAIN;
    const config = await readPacmanConfig();
    const plan = await planInstall({
      bindir: staged((values.bindir as string | undefined) ?? DEFAULT_BINDIR),
      hookdir: staged((values.hookdir as string | undefined) ?? DEFAULT_HOOKDIR),
      unitdir: staged((values.unitdir as string | undefined) ?? DEFAULT_UNITDIR),
      shim: {
        realPacman: (values['real-pacman'] as string | undefined) ?? '/usr/bin/pacman',
        dbPath: config.dbPath,
        sysextHierarchies: extensionHierarchies(context.env, 'sysext'),
        confextHierarchies: extensionHierarchies(context.env, 'confext'),
        node: (values.node as string | undefined) ?? process.execPath,
        guardMain,
      },
      helpers,
      realHelpers: chosenRealHelpers,
    });
    const results = await install(plan, destdir ? undefined : (values.manifest as string | undefined) ?? DEFAULT_MANIFEST);
    for (const { path, outcome } of results) context.output.line(`${outcome.padEnd(10)} ${path}`);
    if (!destdir && results.some(({ path, outcome }) => /\.(conf|service|timer)$/.test(path) && outcome !== 'unchanged')) {
      context.output.line(':: systemd reads the drop-in and the units after: systemctl daemon-reload');
    }
    return ExitCode.Ok;
  },
};

export const uninstallCommand: Command = {
  name: 'uninstall',
  usage: 'guard uninstall [--manifest FILE]',
  options: [['--manifest <file>', `the record of installed files (default ${DEFAULT_MANIFEST})`]],
  details: 'Removes exactly the files guard install wrote; a file changed since is kept and reported.',
  async run(context) {
    const { values } = parseCommandOptions(context.args, { manifest: { type: 'string' } });
    const results = await uninstall((values.manifest as string | undefined) ?? DEFAULT_MANIFEST);
    for (const { path, outcome } of results) {
      if (outcome === 'modified, kept') context.output.warning(`${path} was changed since it was installed; kept`);
      else context.output.line(`${outcome.padEnd(10)} ${path}`);
    }
    return results.some((result) => result.outcome === 'modified, kept') ? ExitCode.Failure : ExitCode.Ok;
  },
};
