/**
 * `guard metrics`: the metrics of `guard status --prometheus`, written into
 * node_exporter's textfile directory for pacman-guard-metrics.service (run by
 * its timer). No daemon of our own: node_exporter serves the file.
 */
import { stat } from 'node:fs/promises';
import { GuardError, describeError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { prometheusText } from '../../metrics/collect.js';
import { DEFAULT_TEXTFILE_DIR, TEXTFILE_NAME, writeTextfile } from '../../metrics/textfile.js';
import { readPacmanConfig } from '../../system/pacman-conf.js';
import { probeSystem, type SystemState } from '../../system/probe.js';
import type { Command } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';
import { statusDocument } from '../../status/document.js';

/** pacman's compiled-in LogFile, for when pacman-conf cannot be run. */
const PACMAN_DEFAULT_LOG_FILE = '/var/log/pacman.log';

/** Without pacman's configuration nothing can be probed: every part of the state is unknown, and the metrics say so. */
function unknownState(reason: string): SystemState {
  const unknown = { ok: false as const, reason };
  return { dbPath: '', mounts: unknown, merged: unknown, dbLock: unknown, transaction: unknown, image: unknown, update: unknown, view: unknown };
}

export const metricsCommand: Command = {
  name: 'metrics',
  usage: 'guard metrics [--textfile-dir DIR]',
  options: [['--textfile-dir <dir>', `node_exporter's textfile collector directory (default ${DEFAULT_TEXTFILE_DIR})`]],
  details: [
    `Writes the metrics of guard status --prometheus to DIR/${TEXTFILE_NAME}, atomically`,
    '(a temporary file renamed into place), and prints nothing. A state that cannot be',
    'read is written as pacman_guard_state_unknown 1. pacman-guard-metrics.timer runs',
    'this every minute; guard install and the package ship it disabled (enable it with',
    'systemctl enable --now pacman-guard-metrics.timer).',
  ].join('\n'),
  async run(context) {
    const { values } = parseCommandOptions(context.args, { 'textfile-dir': { type: 'string' } });
    const directory = (values['textfile-dir'] as string | undefined) ?? DEFAULT_TEXTFILE_DIR;
    try {
      if (!(await stat(directory)).isDirectory()) throw new GuardError(`${directory} is not a directory`, { exitCode: ExitCode.Failure });
    } catch (error) {
      if (error instanceof GuardError) throw error;
      throw new GuardError(`cannot use ${directory}: ${describeError(error)}`, {
        exitCode: ExitCode.Failure,
        hints: ["  is prometheus-node-exporter installed? Give its --collector.textfile.directory with --textfile-dir"],
      });
    }
    let state: SystemState;
    let logFile = PACMAN_DEFAULT_LOG_FILE;
    try {
      const config = await readPacmanConfig();
      logFile = config.logFile;
      state = await probeSystem({ dbPath: config.dbPath });
    } catch (error) {
      if (!(error instanceof GuardError)) throw error;
      state = unknownState(error.message);
    }
    const { document } = statusDocument(state);
    try {
      await writeTextfile(directory, await prometheusText(document, logFile, context.env));
    } catch (error) {
      throw new GuardError(`cannot write ${directory}/${TEXTFILE_NAME}: ${describeError(error)}`, { exitCode: ExitCode.Failure, cause: error });
    }
    return ExitCode.Ok;
  },
};
