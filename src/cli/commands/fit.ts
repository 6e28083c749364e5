/**
 * `guard fit`: the fit check (src/fit/check.ts) on its own, what a user runs
 * to see whether the extensions fit. The systemd drop-in runs the same check
 * as `guard lock --fit` (cli/commands/lock.ts), in the lock's process, before
 * systemd-sysext merges at boot: a base changed while nothing was merged (an
 * update cut short by a power loss) must not get extensions merged over it
 * that do not fit.
 */
import { ExitCode } from '../../exit-codes.js';
import { holdUnfitExtensions } from '../../fit/check.js';
import { refresh } from '../../lock/lifecycle.js';
import { serialized } from '../../lock/serialize.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import type { Command, CommandContext } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';

export const fitCommand: Command = {
  name: 'fit',
  usage: 'guard fit',
  options: [],
  details: [
    'Checks the extensions guard extend built against the base (pacman -Dk over the base\'s',
    'packages and theirs) if the base or the extensions changed since the last check, and holds',
    'those that do not fit (moved to /var/lib/extensions/.pacman-guard-held, never merged), with',
    'the reason; a held extension that is merged is taken out (guard refresh). guard merge,',
    'refresh and settle do the same first; the systemd drop-in runs it before systemd-sysext.',
  ].join('\n'),
  async run(context) {
    parseCommandOptions(context.args, {});
    await checkFit(context);
    return ExitCode.Ok;
  },
};

/** The check, with its report: also `guard lock --fit`'s second half (the systemd drop-in's one step before systemd-sysext). */
export async function checkFit(context: CommandContext): Promise<void> {
  const { dbPath } = await readPacmanConfig();
  const outcome = await serialized(async () => {
    const found = await holdUnfitExtensions({ dbPath, env: context.env, warn: (line) => context.output.warning(line) });
    if (found.heldButMerged.length > 0) await refresh(dbPath, { env: context.env, warn: (line) => context.output.warning(line) });
    return found;
  });
  for (const extension of outcome.held) context.output.line(`    rebuild it: guard extend --rebuild ${extension.name}, or remove it: guard extend --remove ${extension.name}`);
  if (!outcome.checked) context.output.line('the base and the extensions are as when they were last checked: nothing to check');
  else {
    const fitting = outcome.judged.filter((name) => !outcome.held.some((extension) => extension.name === name));
    context.output.line(`checked ${outcome.judged.length} extension(s) against the base: ${fitting.length} fit${fitting.length > 0 ? ` (${fitting.join(', ')})` : ''}, ${outcome.held.length} held`);
  }
}
