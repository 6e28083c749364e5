/**
 * `guard update [--no-rebuild] [pacman arguments]`: change the base system on
 * purpose, in a maintenance window (src/update/update.ts). Without an
 * operation it runs `pacman -Syu`. Its own options are the two below; every
 * other word is pacman's, checked by the command-line model before anything
 * changes.
 */
import { GuardError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { parsePacmanCommand } from '../../pacman/model.js';
import { commandLine } from '../../policy/refusal.js';
import { finishUpdate, rollbackUpdate, runUpdate } from '../../update/update.js';
import type { Command } from '../command.js';
import { judge } from '../judge.js';
import { DEFAULT_REAL_PACMAN } from './check.js';

const OWN_OPTIONS = ['--no-rebuild', '--finish'] as const;

/** Pure: guard update's own options and pacman's arguments (the default operation filled in). */
export function splitUpdateArguments(args: readonly string[]): { noRebuild: boolean; finish: boolean; pacmanArgs: string[] } {
  const separator = args.indexOf('--');
  const head = separator === -1 ? args : args.slice(0, separator);
  const own = head.filter((arg) => (OWN_OPTIONS as readonly string[]).includes(arg));
  const pacmanArgs = [...head.filter((arg) => !(OWN_OPTIONS as readonly string[]).includes(arg)), ...(separator === -1 ? [] : args.slice(separator))];
  // No operation (`guard update`, `guard update --noconfirm`): the weekly upgrade.
  const operation = parsePacmanCommand(pacmanArgs).operation;
  return { noRebuild: own.includes('--no-rebuild'), finish: own.includes('--finish'), pacmanArgs: operation === undefined ? ['-Syu', ...pacmanArgs] : pacmanArgs };
}

export const updateCommand: Command = {
  name: 'update',
  usage: 'guard update [--no-rebuild] [<pacman operation> [options] [targets]]\n        guard update --finish\n        guard update [--no-rebuild] --rollback',
  options: [
    ['--no-rebuild', 'check extensions against the new base, but do not rebuild them'],
    ['--finish', 'finish an interrupted guard update from its record (docs/update.md)'],
    ['--rollback', "undo the last guard update from pacman's package cache, in the same window"],
  ],
  passesColorThrough: true,
  operands: 'files',
  details: [
    'Without an operation it runs pacman -Syu; also guard update -S PKG, -R PKG,',
    '-U FILE. It records the merge and lock state, unmerges,',
    'unlocks, runs pacman in a private mount namespace where the read-only image is',
    'writable for pacman alone, then locks, merges and verifies. Extensions built by guard',
    'extend are checked against the new base: rebuilt where a rebuild mends them, left',
    'unmerged with the reason where not; held ones are rebuilt by the next update that',
    'changes the system (docs/update.md). Each step is written ahead to',
    '/var/lib/pacman-guard/update.json; after a kill or a power loss every guard command',
    'names guard update --finish, which finishes from where it stopped. SIGTERM and SIGHUP',
    'are not passed on to pacman: it ends its transaction, then the system is put back.',
    '--rollback undoes the last update from pacman\'s package cache (docs/update.md).',
    'Exit status: pacman\'s; 1 if the system could not be put back (then: guard update',
    '--finish); 2 bad usage; 3 refused before anything changed; 4 state unknown.',
  ].join('\n'),
  async run(context) {
    // --rollback takes nothing of pacman's: told apart before the split, which fills in -Syu.
    const rollback = context.args.includes('--rollback');
    const { noRebuild, finish, pacmanArgs } = splitUpdateArguments(context.args.filter((arg) => arg !== '--rollback'));
    const realPacman = context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN;
    if (finish && context.args.length > 1) throw new GuardError('--finish takes no other arguments', { exitCode: ExitCode.Usage });
    if (process.getuid?.() !== 0) throw new GuardError('you cannot perform this operation unless you are root.', { exitCode: ExitCode.Failure, hints: ['  nothing was changed; run it with sudo'] });
    const options = { env: context.env, realPacman, output: context.output, noRebuild };
    if (rollback && context.args.some((arg) => arg !== '--rollback' && arg !== '--no-rebuild')) throw new GuardError('--rollback takes no pacman arguments', { exitCode: ExitCode.Usage });
    if (finish) return finishUpdate(options);
    if (rollback) return rollbackUpdate(options);

    // pacman is asked for its version only when its releases read this line differently (as the shim does):
    // guard update takes only the reading and whether it acts on this system, which are then the same for
    // every release. `pacman --version` was 40-150 ms of the update's start-up in npm run bench's update-change
    // state (strace in the testbed), on every run: the tool cache missed each time, /usr having been merged anew.
    const { command, actsOnHost } = await judge(pacmanArgs, { env: context.env, policy: 'refuse', realPacman, detectVersion: 'when-needed' });
    const shown = commandLine('pacman', pacmanArgs);
    if (command.outcome === 'rejected') {
      throw new GuardError(`pacman would reject '${shown}': ${command.rejection?.message}`, { exitCode: ExitCode.Usage, hints: ['  nothing was changed'] });
    }
    if (command.outcome !== 'run' || !command.needsLock) {
      throw new GuardError(`'${shown}' does not change the system: run it without guard update`, { exitCode: ExitCode.Usage, hints: ['  guard update is for -Syu, -S, -R and -U'] });
    }
    if (!actsOnHost) {
      throw new GuardError(`'${shown}' acts on another root or database: run it without guard update`, { exitCode: ExitCode.Usage });
    }
    return runUpdate(pacmanArgs, options);
  },
};
