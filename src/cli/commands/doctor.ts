import { runChecks } from '../../doctor/checks.js';
import { gatherFacts } from '../../doctor/facts.js';
import { ExitCode } from '../../exit-codes.js';
import type { Command } from '../command.js';
import { parseCommandOptions } from '../parse-options.js';
import { DEFAULT_UNITDIR } from './install.js';

export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'guard doctor [--json] [--unitdir DIR]',
  options: [
    ['--json', 'print the findings as JSON'],
    ['--unitdir <dir>', `where guard install put the systemd drop-in (default ${DEFAULT_UNITDIR})`],
  ],
  details: 'Exit status: 0 when every check passes, 5 when any finds a problem, 4 when the state cannot be read.',
  async run(context) {
    const { values } = parseCommandOptions(context.args, { json: { type: 'boolean' }, unitdir: { type: 'string' } });
    const findings = runChecks(await gatherFacts({ env: context.env, unitdir: (values.unitdir as string | undefined) ?? DEFAULT_UNITDIR }));
    const exitCode = findings.every((finding) => finding.ok) ? ExitCode.Ok : ExitCode.Inconsistent;
    if (values.json) {
      context.output.line(JSON.stringify({ findings, exitCode }, null, 2));
      return exitCode;
    }
    for (const finding of findings) {
      if (finding.ok) context.output.line(`  ok    ${finding.message}`);
      else context.output.warning(finding.message, ...(finding.fix ? [`  fix: ${finding.fix}`] : []));
    }
    return exitCode;
  },
};
