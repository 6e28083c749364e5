/**
 * The rendered sh shim decides exactly as the fast-path rules do. One sh
 * process runs the shim's own text once per command line, each in a subshell
 * (a fork, no exec), instead of a process and a fake pacman per line: the
 * decision costs microseconds, and thousands of spawns would make the test
 * about the machine's load rather than the shim. A fork still costs
 * milliseconds on a busy 2-core machine, hence the generous timeout.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveFastPathRules, fastPathAllows } from '../../../src/shim/fast-path.js';
import { CHECKOUT_SHIM_SETTINGS, renderShim } from '../../../src/shim/render.js';
import { markerDirectory } from '../../../src/system/sysext.js';
import { shimOutputs } from '../../support/shim-lines.js';
import { samplePacmanCommandLines } from '../../support/pacman-command-arbitrary.js';

// Derived once: deriving the rules from the model takes seconds.
const rules = deriveFastPathRules();
const work = mkdtempSync(join(tmpdir(), 'pacman-guard-shim-decision-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Neither exists: the subshell's exec of one of them fails with a message naming it, which tells the two paths apart.
const PACMAN = '/nonexistent/REAL-PACMAN';
const NODE = '/nonexistent/GUARD-NODE';

/** A shim that always finds the system engaged: its hierarchy has systemd-sysext's marker directory. */
function engagedShim(): string {
  const hierarchy = join(work, 'usr');
  mkdirSync(markerDirectory(hierarchy, 'sysext'), { recursive: true });
  const guardMain = join(work, 'main.js');
  writeFileSync(guardMain, '');
  const shim = join(work, 'pacman');
  writeFileSync(shim, renderShim({
    ...CHECKOUT_SHIM_SETTINGS,
    realPacman: PACMAN,
    node: NODE,
    guardMain,
    sysextHierarchies: [hierarchy],
    confextHierarchies: [],
    dbPath: work,
  }, rules));
  return shim;
}

/**
 * What the shim ran for each command line: 'pacman', 'guard', or what it
 * printed instead. Asynchronous: a worker blocked in spawnSync for long on a
 * busy machine misses vitest's own calls and fails the run.
 */
async function shimDecisions(shim: string, lines: readonly (readonly string[])[]): Promise<string[]> {
  const outputs = await shimOutputs(shim, lines, join(work, 'decide.sh'));
  return outputs.map((output) => {
    if (output.includes(PACMAN) && !output.includes(NODE)) return 'pacman';
    if (output.includes(NODE) && !output.includes(PACMAN)) return 'guard';
    return output;
  });
}

describe('the rendered sh shim', () => {
  const shim = engagedShim();

  it('runs pacman for the fast path and asks guard for everything else (a table)', async () => {
    const table: [string, 'pacman' | 'guard'][] = [
      ['-Q', 'pacman'], ['-Qi guardtest', 'pacman'], ['-Ss guard', 'pacman'], ['-V', 'pacman'],
      ['-S guardtest', 'guard'], ['-Syu', 'guard'], ['-Qi --color never guardtest', 'guard'], ['', 'guard'], ['-', 'guard'],
    ];
    const decisions = await shimDecisions(shim, table.map(([line]) => line.split(' ').filter(Boolean)));
    expect(decisions).toEqual(table.map(([, expected]) => expected));
  });

  it('decides exactly as the fast-path rules do, on thousands of generated command lines', async () => {
    const lines = samplePacmanCommandLines(3_000, 11);
    const decisions = await shimDecisions(shim, lines);
    const mismatches = lines
      .map((args, index) => ({ line: args.join(' '), shim: decisions[index], rules: fastPathAllows(args, rules) ? 'pacman' : 'guard' }))
      .filter((decision) => decision.shim !== decision.rules);
    expect(mismatches).toEqual([]);
    expect(decisions.filter((decision) => decision === 'pacman').length).toBeGreaterThan(100);
  }, 300_000);
});
