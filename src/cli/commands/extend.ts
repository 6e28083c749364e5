/**
 * `guard extend`: the sanctioned way to add software to a system whose /usr
 * is an image. Also what the pacman shim runs under `Policy = redirect`.
 */
import { ExitCode } from '../../exit-codes.js';
import { GuardError, describeError } from '../../errors.js';
import { applyRemoval } from '../../extend/apply-removal.js';
import { extend, listExtensions, removeExtension, type ExtendResult } from '../../extend/extend.js';
import { extensionOrphans, orphansByExtension, prunePlan } from '../../extend/orphans.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { waitForExit } from '../../system/process-tree.js';
import { rebuildExtension } from '../../extend/rebuild.js';
import { EXTENSION_STORE } from '../../system/extension-store.js';
import type { Output } from '../../ui/output.js';
import type { Command } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';
import { DEFAULT_REAL_PACMAN } from './check.js';

/** The report of what an extension could not carry: said, never dropped silently. */
export function reportExtension(output: Output, result: ExtendResult): void {
  const { provenance } = result;
  output.line(`${result.replaced ? 'rebuilt' : 'built'} and merged extension ${provenance.name}: ${result.path}`);
  for (const entry of provenance.packages) {
    output.line(`    ${entry.name} ${entry.version}${entry.explicit ? '' : ' (dependency)'}`);
  }
  const { files, scriptlets, hooks, sysusers } = provenance.notCarried;
  for (const [name, paths] of Object.entries(files)) {
    output.warning(`${name}: ${paths.length} path(s) outside the extension's hierarchies are not carried:`, ...paths.slice(0, 10).map((path) => `    ${path}`), ...(paths.length > 10 ? [`    … and ${paths.length - 10} more`] : []));
  }
  for (const [name, functions] of Object.entries(scriptlets)) {
    output.warning(`${name}: its install scriptlet did not run${functions.length > 0 ? ` (${functions.join(', ')})` : ''}`);
  }
  for (const [name, paths] of Object.entries(sysusers)) {
    output.warning(`${name}: declares system users and groups nobody created (${paths.join(', ')}); run: systemd-sysusers`);
  }
  if (hooks.length > 0) output.warning('hooks an installation would have run did not run:', ...hooks.map((hook) => `    ${hook}`));
  for (const note of result.releaseNotes) output.warning(note);
}

export const extendCommand: Command = {
  name: 'extend',
  usage: 'guard extend [--name NAME] [--refresh] <package | file>...\n        guard extend --rebuild NAME\n        guard extend --list\n        guard extend --remove NAME\n        guard extend --prune',
  options: [
    ['--name <name>', 'the extension\'s name (default: the first package named)'],
    ['-y, --refresh', 'refresh a private copy of the sync databases first'],
    ['--list', 'list the extensions in /var/lib/extensions'],
    ['--rebuild <name>', 'build an extension (a held one too) again from the packages it was built from'],
    ['--remove <name>', 'unmerge and delete an extension guard extend built'],
    ['--prune', 'take out the orphans merged extensions carry (installed as dependencies, needed by nothing: pacman -Qdt)'],
  ],
  operands: 'files',
  details: [
    'Builds a system extension in /var/lib/extensions/NAME from repository packages',
    '(and their dependencies the base system lacks) or package files, instead of installing',
    'them, then runs systemd-sysext refresh with the database locked. Files that would',
    'shadow the running system are refused by name. Rebuilding NAME replaces it atomically.',
  ].join('\n'),
  async run(context) {
    const { values, positionals } = parseCommandOptions(context.args, {
      name: { type: 'string' },
      refresh: { type: 'boolean', short: 'y' },
      list: { type: 'boolean' },
      remove: { type: 'string' },
      rebuild: { type: 'string' },
      prune: { type: 'boolean' },
      // Not in the help: what the redirect's detached watcher runs (src/cli/redirect.ts, watchFlow).
      only: { type: 'string' },
      after: { type: 'string' },
    }, true);
    const name = values.name as string | undefined;
    const remove = values.remove as string | undefined;
    const rebuild = values.rebuild as string | undefined;
    const modes = [values.list, remove !== undefined, rebuild !== undefined, values.prune, positionals.length > 0].filter(Boolean).length;
    if (modes > 1) throw new GuardError('--list, --remove, --rebuild, --prune and targets exclude each other', { exitCode: ExitCode.Usage });
    if (rebuild !== undefined && name !== undefined) throw new GuardError('--rebuild keeps the extension\'s name: --name does not go with it', { exitCode: ExitCode.Usage });
    const realPacman = context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN;
    if (values.list) {
      const extensions = await listExtensions();
      // Said, so that an empty list is not mistaken for a command that did nothing.
      if (extensions.length === 0) context.output.line(`no system extensions in ${EXTENSION_STORE}; build one with: guard extend PACKAGE`);
      const merged = extensions.filter((extension) => extension.merged);
      const orphans = merged.some((extension) => extension.provenance)
        ? await extensionOrphans(realPacman, merged).catch((error: unknown) => {
          context.output.warning(`cannot tell which packages are orphans: ${describeError(error)}`);
          return new Set<string>();
        })
        : new Set<string>();
      const orphaned = orphansByExtension(merged, orphans);
      for (const extension of extensions) {
        const packages = extension.provenance?.packages.map((entry) => `${entry.name} ${entry.version}${orphans.has(entry.name) && extension.merged ? ' (orphan)' : ''}`).join(', ') ?? '(not built by guard extend)';
        context.output.line(`${extension.name.padEnd(24)} ${(extension.merged ? 'merged' : extension.held ? 'held' : 'not merged').padEnd(11)} ${packages}`);
        if (extension.held) context.output.line(`${''.padEnd(24)} held: ${extension.held}`);
        if (orphaned.get(extension.name)?.whole) context.output.line(`${''.padEnd(24)} orphan: installed as dependencies that nothing merged needs`);
      }
      if (orphaned.size > 0) context.output.line(`take the orphans out with: ${process.getuid?.() === 0 ? '' : 'sudo '}guard extend --prune`);
      return ExitCode.Ok;
    }
    if (values.prune) {
      if (process.getuid?.() !== 0) throw new GuardError('you cannot perform this operation unless you are root.', { exitCode: ExitCode.Failure, hints: ['    sudo guard extend --prune'] });
      const only = values.only as string | undefined;
      const after = values.after as string | undefined;
      if (after !== undefined) {
        const match = /^(\d+):(\d+)$/.exec(after);
        if (!match) throw new GuardError(`invalid --after '${after}' (expected PID:STARTTIME)`, { exitCode: ExitCode.Usage });
        await waitForExit(Number(match[1]), match[2]!);
      }
      const { dbPath } = await readPacmanConfig();
      const steps = (await prunePlan(realPacman, dbPath)).filter((step) => only === undefined || step.extension === only);
      if (steps.length === 0) {
        context.output.line('no orphans in the merged extensions');
        return ExitCode.Ok;
      }
      await applyRemoval(steps, {
        env: context.env,
        realPacman,
        progress: (line) => context.output.heading(line),
        removed: (extension) => context.output.line(`removed extension ${extension}`),
        rebuilt: (result) => reportExtension(context.output, result),
      });
      return ExitCode.Ok;
    }
    if (remove !== undefined) {
      await removeExtension(remove);
      context.output.line(`removed extension ${remove}`);
      return ExitCode.Ok;
    }
    const request = {
      refreshDatabases: Boolean(values.refresh),
      env: context.env,
      realPacman,
      progress: (line: string) => context.output.heading(line),
    };
    const result = rebuild !== undefined
      ? await rebuildExtension(rebuild, request)
      : await extend({ ...request, targets: positionals, ...(name !== undefined ? { name } : {}) });
    reportExtension(context.output, result);
    return ExitCode.Ok;
  },
};
