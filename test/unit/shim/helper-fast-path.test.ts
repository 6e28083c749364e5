/**
 * The yay and paru shims' fast path never lets through what guard would
 * refuse or ask about: proven over every cluster the option tables allow in
 * the fast path's shape (every operation letter, then every sequence of up
 * to MAX_FAST_PATH_MODIFIERS letters of the table, argument-taking, operation
 * and unknown letters included), then on generated command lines; and the
 * rendered sh decides exactly as the TypeScript does.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyHelperCommand } from '../../../src/helpers/classify.js';
import { decideHelper } from '../../../src/helpers/decide.js';
import { HELPER_NAMES, helperSpec, type HelperName } from '../../../src/helpers/options.js';
import type { Engagement } from '../../../src/policy/decide.js';
import { findMutatingCluster, helperFastPathRules } from '../../../src/shim/derive-helper-fast-path.js';
import { MAX_FAST_PATH_MODIFIERS, helperFastPathAllows, type HelperFastPathRule } from '../../../src/shim/helper-fast-path.js';
import { CHECKOUT_SHIM_SETTINGS } from '../../../src/shim/render.js';
import { helperShimSettings, renderHelperShim } from '../../../src/shim/render-helper.js';
import { markerDirectory } from '../../../src/system/sysext.js';
import { shimOutputs } from '../../support/shim-lines.js';
import { sampleHelperCommandLines } from '../../support/helper-command-arbitrary.js';

const words = (line: string) => line.split(' ').filter(Boolean);

/** The states in which guard refuses a mutating helper operation: merged and locked, and unknown. */
const ENGAGED: Engagement = {
  known: true,
  merged: [{ hierarchy: '/usr', extensions: ['devtools'], since: new Date('2026-11-22T10:00:00Z') }],
  locked: true,
  dbPath: '/var/lib/pacman',
};
const UNKNOWN: Engagement = { known: false, reason: 'cannot read /proc/self/mountinfo: EACCES' };

/** What guard makes of the line on an engaged system, and when it cannot tell the state. */
function guardAllows(helper: HelperName, args: readonly string[]): boolean {
  const command = classifyHelperCommand(helper, args);
  return [ENGAGED, UNKNOWN].every((engagement) => decideHelper(command, true, engagement).decision === 'allow');
}

/** Every letter of the helper's table (operations, modifiers, argument-taking ones) and letters it does not know. */
function everyLetter(helper: HelperName): string[] {
  return [...helperSpec(helper).shortOptions.keys(), 'z', 'E'];
}

function* clustersUpTo(letters: readonly string[], length: number): Generator<string> {
  let current = [''];
  yield '';
  for (let size = 1; size <= length; size++) {
    current = current.flatMap((prefix) => letters.map((letter) => prefix + letter));
    yield* current;
  }
}

describe.each(HELPER_NAMES)('the %s shim fast path', (helper) => {
  const rules = helperFastPathRules(helper);

  it('admits no cluster its rules allow that the classification calls mutating (every order, with repeats)', async () => {
    for (const rule of rules) {
      expect(findMutatingCluster(helper, rule), rule.operation).toBeUndefined();
      // One rule at a time: a worker blocked for long on a busy machine misses vitest's own calls.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }, 120_000);

  it(`lets through nothing guard would refuse, over every cluster of the table's letters up to ${MAX_FAST_PATH_MODIFIERS + 1} long, with and without targets`, async () => {
    const letters = everyLetter(helper);
    let admitted = 0;
    for (const first of letters) {
      for (const rest of clustersUpTo(letters, MAX_FAST_PATH_MODIFIERS)) {
        const cluster = `-${first}${rest}`;
        for (const args of [[cluster], [cluster, 'guardtest'], [cluster, 'guardtest', 'local/guardtest']]) {
          if (!helperFastPathAllows(args, rules)) continue;
          admitted++;
          if (!guardAllows(helper, args)) expect.fail(`${helper} ${args.join(' ')} is in the fast path, but guard refuses it`);
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The fast path must cover something worth having: thousands of read-only clusters.
    expect(admitted).toBeGreaterThan(10_000);
  }, 300_000);

  it('never lets through a generated command line guard would refuse', () => {
    const lines = sampleHelperCommandLines(helper, 20_000, 16);
    const admitted = lines.filter((args) => helperFastPathAllows(args, rules));
    for (const args of admitted) expect(guardAllows(helper, args), `${helper} ${args.join(' ')}`).toBe(true);
    expect(admitted.length).toBeGreaterThan(1_000);
  }, 120_000);

  it('covers the read-only operations people type every day', () => {
    const everyday = ['-Ss guard', '-Ssq guard', '-Ssa guard', '-Si guardtest', '-Sii guardtest', '-Sl', '-Slq', '-Sg', '-Qi guardtest', '-Qs guard', '-Qdtq', '-Qqe', '-Qua', '-Ql guardtest', '-Qo /usr/bin/x', '-Gp guardtest', '-G guardtest', '-Ps', '-Pw', '-Fl guardtest', '-T guardtest'];
    expect(everyday.filter((line) => !helperFastPathAllows(words(line), rules))).toEqual([]);
  });
});

describe('what stays out of the fast path', () => {
  it.each([
    // Mutating: installs, upgrades, refreshes, removals, cache cleaning, builds.
    ['yay', '-S guardtest'], ['yay', '-Syu'], ['yay', '-Sy'], ['yay', '-Sc'], ['yay', '-Siy guardtest'], ['yay', '-R guardtest'],
    ['yay', '-U x.pkg.tar.zst'], ['yay', '-Yc'], ['yay', '-Bi .'], ['yay', 'guardtest'], ['yay', ''], ['yay', '-Fy'],
    ['paru', '-S guardtest'], ['paru', '-Syu'], ['paru', '-Sc'], ['paru', '-B dir'], ['paru', '-U'], ['paru', '-Ly'], ['paru', '-Lc'], ['paru', 'guardtest'],
    // Not the fast path's shape: the full check decides (these may well be read-only).
    ['yay', '-Ss guard --color never'], ['yay', '--search guard'], ['yay', '-sS guard'], ['yay', '-Qtdqq'], ['yay', '-Qb /tmp'],
    ['yay', '-Ss -'], ['yay', '-SsQ guard'], ['yay', '-SS guard'], ['yay', '-Ssz guard'], ['paru', '-Ss guard -- x'], ['paru', '-'],
  ] as const)('%s %s', (helper, line) => {
    expect(helperFastPathAllows(words(line), helperFastPathRules(helper))).toBe(false);
  });
});

// --- the rendered sh --------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'pacman-guard-helper-fast-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The real helper must be an executable file (the shim exits 127 otherwise). Without a
// #! line execve fails with ENOEXEC and sh runs it in the same process: no fork per line.
const HELPER = join(work, 'REAL-HELPER');
writeFileSync(HELPER, 'echo REAL-HELPER\n');
chmodSync(HELPER, 0o755);
// Does not exist: the shim refuses naming it, which shows it went to guard.
const NODE = '/nonexistent/GUARD-NODE';

/** A shim that always finds the system engaged: its hierarchy has systemd-sysext's marker directory. */
function engagedShim(helper: HelperName, rules: readonly HelperFastPathRule[], name: string = helper): string {
  const hierarchy = join(work, helper, 'usr');
  mkdirSync(markerDirectory(hierarchy, 'sysext'), { recursive: true });
  const guardMain = join(work, 'main.js');
  writeFileSync(guardMain, '');
  const shim = join(work, helper, name);
  const settings = { ...CHECKOUT_SHIM_SETTINGS, node: NODE, guardMain, sysextHierarchies: [hierarchy], confextHierarchies: [], dbPath: work };
  writeFileSync(shim, renderHelperShim(helper, helperShimSettings(helper, settings, HELPER), rules));
  return shim;
}

/** What the shim ran for each line ('helper', 'guard', or what it printed instead), from one sh process. */
async function shimDecisions(helper: HelperName, shim: string, lines: readonly (readonly string[])[]): Promise<string[]> {
  const outputs = await shimOutputs(shim, lines, join(work, helper, 'decide.sh'));
  return outputs.map((output) => {
    if (output === 'REAL-HELPER\n') return 'helper';
    if (output.includes(NODE) && !output.includes('REAL-HELPER')) return 'guard';
    return output;
  });
}

describe.each(HELPER_NAMES)('the rendered %s shim on an engaged system', (helper) => {
  const rules = helperFastPathRules(helper);
  const shim = engagedShim(helper, rules);

  it('runs the helper for the fast path and asks guard for everything else (a table)', async () => {
    const table: [string, 'helper' | 'guard'][] = [
      ['-Ss guard', 'helper'], ['-Ssq guard', 'helper'], ['-Qi guardtest', 'helper'], ['-Gp guardtest', 'helper'], ['-Q', 'helper'],
      ['-S guardtest', 'guard'], ['-Syu', 'guard'], ['-Ss guard --color never', 'guard'], ['-Qtdqq', 'guard'], ['', 'guard'], ['-', 'guard'], ['guardtest', 'guard'],
    ];
    const decisions = await shimDecisions(helper, shim, table.map(([line]) => words(line)));
    expect(decisions).toEqual(table.map(([, expected]) => expected));
  }, 120_000);

  it('decides exactly as helperFastPathAllows(), on a thousand generated command lines', async () => {
    const lines = sampleHelperCommandLines(helper, 1_000, 17);
    const decisions = await shimDecisions(helper, shim, lines);
    const mismatches = lines
      .map((args, index) => ({ line: args.join(' '), shim: decisions[index], typescript: helperFastPathAllows(args, rules) ? 'helper' : 'guard' }))
      .filter((decision) => decision.shim !== decision.typescript);
    expect(mismatches).toEqual([]);
    expect(decisions.filter((decision) => decision === 'helper').length).toBeGreaterThan(100);
  }, 300_000);

  it('renders a rule without modifier letters as the bare operation only', async () => {
    const bare: HelperFastPathRule[] = [{ operation: 'G', required: [], allowed: [] }];
    const decisions = await shimDecisions(helper, engagedShim(helper, bare, 'bare'), [['-G', 'x'], ['-Gp', 'x'], ['-Ss', 'x']]);
    expect(decisions).toEqual(['helper', 'guard', 'guard']);
  });
});
