/**
 * The command-line model against real pacman 6.0.2.
 *
 * In the testbed the database is locked (bind-mounted onto itself read-only),
 * so pacman's own "unable to lock database" / "could not lock database" tells
 * exactly which command lines take the lock; everything else either runs
 * read-only or is rejected with a message the model must predict word for word.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parsePacmanCommand, type PacmanCommand } from '../../src/pacman/model.js';
import { EDGE_CASES } from '../support/pacman-edge-cases.js';
import { samplePacmanCommandLines } from '../support/pacman-command-arbitrary.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const GENERATED = 2_500;
const LOCK_FAILURE = /unable to lock database|could not lock database/;
/** Messages that mean pacman rejected the command line (so a command the model lets run must not print them). */
const REJECTION = /invalid option|may not be used together|unrecognized option|is ambiguous|requires an argument|doesn't allow an argument|only one operation|no targets specified|no operation specified|is not a valid debug level|invalid argument/;

interface PacmanRun {
  status: number | null;
  signal: string | null;
  error?: string;
  stderr: string;
  stdout: string;
}

/** Paths the testbed's locked database answers for; anything else is another system. */
function actsOnTestbedDatabase(command: PacmanCommand): boolean {
  const { root, dbPath, config, sysroot } = command.paths;
  return (root === undefined || root === '/')
    && (dbPath === undefined || dbPath === '/var/lib/pacman' || dbPath === '/var/lib/pacman/')
    && (config === undefined || config === '/etc/pacman.conf')
    && (sysroot === undefined || sysroot === '/');
}

/** Returns a description of the disagreement, or undefined when model and pacman agree. */
function disagreement(args: readonly string[], run: PacmanRun, posixlyCorrect = false): string | undefined {
  const command = parsePacmanCommand(args, { variant: '6.0', posixlyCorrect });
  const lockAttempted = LOCK_FAILURE.test(run.stderr);
  const said = `model: ${command.outcome}${command.rejection ? ` (${command.rejection.message})` : ''}, needsLock=${command.needsLock}; pacman: status ${run.status}, stderr ${JSON.stringify(run.stderr.slice(0, 300))}`;
  if (run.error || run.signal) return `pacman did not finish: ${run.error ?? run.signal}`;
  switch (command.outcome) {
    case 'rejected': {
      if (run.status === 0 || lockAttempted) return said;
      // An operation's own refusal comes after pacman opened the root and database,
      // so for another (here: missing) root, the failure to open it comes first.
      const messageExpected = command.rejection!.stage === 'parse' || actsOnTestbedDatabase(command);
      return !messageExpected || run.stderr.includes(command.rejection!.message) ? undefined : said;
    }
    case 'help':
      return run.status === 0 && run.stdout.startsWith('usage:') ? undefined : said;
    case 'version':
      return run.status === 0 && run.stdout.includes('Pacman v') ? undefined : said;
    case 'run':
      if (REJECTION.test(run.stderr)) return said;
      if (!actsOnTestbedDatabase(command)) return undefined;
      return lockAttempted === command.needsLock ? undefined : said;
  }
}

describeInTestbed('the command-line model agrees with real pacman 6.0.2', () => {
  const workdir = mkdtempSync(join(tmpdir(), 'pacman-guard-differential-'));
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  async function replay(lines: readonly (readonly string[])[], env: Record<string, string> = {}): Promise<PacmanRun[]> {
    const input = join(workdir, `lines-${lines.length}-${Object.keys(env).join('-')}.json`);
    writeFileSync(input, JSON.stringify(lines.map((args) => ({ args, env }))));
    const result = await runInTestbed('node "$PROJECT_ROOT/test/support/pacman-batch.mjs" "$LINES"', {
      locked: true,
      env: { LINES: input },
      timeoutMs: 600_000,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as PacmanRun[];
  }

  function expectAgreement(lines: readonly (readonly string[])[], runs: readonly PacmanRun[], posixlyCorrect = false) {
    expect(runs).toHaveLength(lines.length);
    const disagreements = lines
      .map((args, index) => [args, disagreement(args, runs[index]!, posixlyCorrect)] as const)
      .filter(([, problem]) => problem !== undefined)
      .map(([args, problem]) => `pacman ${args.join(' ')}\n    ${problem}`);
    expect(disagreements, disagreements.slice(0, 20).join('\n')).toEqual([]);
  }

  it('on every hand-written edge case', async () => {
    const lines = EDGE_CASES.map(([line]) => line.split(' ').filter(Boolean));
    expectAgreement(lines, await replay(lines));
  });

  it(`on ${GENERATED} generated command lines`, async () => {
    const lines = samplePacmanCommandLines(GENERATED);
    const runs = await replay(lines);
    expectAgreement(lines, runs);
    // The sample must exercise every verdict, or it proves little.
    const verdicts = new Set(lines.map((args) => {
      const command = parsePacmanCommand(args, { variant: '6.0' });
      return command.outcome === 'run' ? (command.needsLock ? 'lock' : 'read') : command.outcome;
    }));
    expect([...verdicts].sort()).toEqual(['help', 'lock', 'read', 'rejected', 'version']);
  });

  it('with POSIXLY_CORRECT set, where getopt stops at the first operand', async () => {
    const lines = samplePacmanCommandLines(400, 4242);
    const runs = await replay(lines, { POSIXLY_CORRECT: '1' });
    expectAgreement(lines, runs, true);
    // The environment must change some verdicts, or this proves nothing about it.
    const changed = lines.filter((args) => parsePacmanCommand(args, { variant: '6.0', posixlyCorrect: true }).outcome !== parsePacmanCommand(args, { variant: '6.0' }).outcome);
    expect(changed.length).toBeGreaterThan(20);
  });
});
