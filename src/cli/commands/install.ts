import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GuardError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { install, planInstall, uninstall } from '../../install/install.js';
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

export const installCommand: Command = {
  name: 'install',
  usage: 'guard install [--bindir DIR] [--hookdir DIR] [--unitdir DIR] [--real-pacman PATH] [--manifest FILE | --destdir DIR] [--node PATH]',
  options: [
    ['--bindir <dir>', `where the pacman shim goes (default ${DEFAULT_BINDIR})`],
    ['--hookdir <dir>', `where the libalpm hook goes (default ${DEFAULT_HOOKDIR})`],
    ['--unitdir <dir>', `where the systemd-sysext.service drop-in goes (default ${DEFAULT_UNITDIR})`],
    ['--real-pacman <path>', 'the pacman the shim runs (default /usr/bin/pacman)'],
    ['--manifest <file>', `the record of installed files (default ${DEFAULT_MANIFEST})`],
    ['--destdir <dir>', 'stage the files under DIR for a package (paths inside them stay as if installed; no manifest)'],
    ['--node <path>', 'the node the hook and the shim run (default: this one)'],
  ],
  details: [
    'Idempotent: files that are already up to date are left alone. A file that exists and',
    "was not installed by pacman-guard is never overwritten. The shim is rendered with",
    "pacman's DBPath (pacman-conf) and the sysext hierarchies of SYSTEMD_SYSEXT_HIERARCHIES",
    '(default /usr:/opt) and SYSTEMD_CONFEXT_HIERARCHIES (default /etc).',
  ].join('\n'),
  async run(context) {
    const { values } = parseCommandOptions(context.args, {
      bindir: { type: 'string' },
      hookdir: { type: 'string' },
      unitdir: { type: 'string' },
      'real-pacman': { type: 'string' },
      manifest: { type: 'string' },
      destdir: { type: 'string' },
      node: { type: 'string' },
    });
    const destdir = values.destdir as string | undefined;
    if (destdir !== undefined && values.manifest !== undefined) throw new GuardError('--destdir and --manifest exclude each other: a package has no manifest', { exitCode: ExitCode.Usage });
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
    });
    const results = await install(plan, destdir ? undefined : (values.manifest as string | undefined) ?? DEFAULT_MANIFEST);
    for (const { path, outcome } of results) context.output.line(`${outcome.padEnd(10)} ${path}`);
    if (!destdir && results.some(({ path, outcome }) => path.endsWith('.conf') && outcome !== 'unchanged')) {
      context.output.line(':: systemd reads the drop-in after: systemctl daemon-reload');
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
