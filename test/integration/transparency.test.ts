/**
 * The shim is transparent: pacman's own test suite (pactest, from Debian's
 * source package of the pacman this machine runs) gives exactly the same
 * per-test results through wrappers/pacman as against /usr/bin/pacman:
 * with nothing merged (the shim execs pacman at once), and with extensions
 * merged and the database locked, where every mutating pactest command goes
 * through `guard shim-check`, which must see that pactest works on its own
 * --root and --dbpath and let it through.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT, describeInTestbed, runInTestbed } from '../testbed/testbed.js';

type Results = Map<string, string>;

/** Top-level TAP lines: `ok 12 - description` / `not ok 20 - description # TODO`. */
export function parseTap(text: string): Results {
  const results: Results = new Map();
  for (const line of text.split('\n')) {
    const match = /^(not ok|ok) (\d+) - (.*)$/.exec(line);
    if (match) results.set(`${match[2]} - ${match[3]}`, match[1]!);
  }
  return results;
}

describeInTestbed('pacman shim transparency (pactest)', () => {
  let pactest = '';

  beforeAll(() => {
    pactest = execFileSync('bash', [`${PROJECT_ROOT}/test/transparency/fetch-pactest.sh`], { encoding: 'utf8' }).trim();
  }, 300_000);

  async function runPactest(pacman: string, options: { merged?: boolean; locked?: boolean } = {}): Promise<Results> {
    const result = await runInTestbed(
      'cd "$PACTEST" && python3 pactest.py --pacman "$PACMAN_UNDER_TEST" --scriptlet-shell /bin/sh --ldconfig /sbin/ldconfig tests/*.py 2>&1',
      { ...options, env: { PACTEST: pactest, PACMAN_UNDER_TEST: pacman }, timeoutMs: 900_000 },
    );
    const results = parseTap(result.stdout);
    expect(results.size, result.stdout.slice(-2000)).toBeGreaterThan(300);
    return results;
  }

  function differences(expected: Results, actual: Results): string[] {
    const names = new Set([...expected.keys(), ...actual.keys()]);
    return [...names].filter((name) => expected.get(name) !== actual.get(name)).map((name) => `${name}: ${expected.get(name)} directly, ${actual.get(name)} through the shim`);
  }

  it('gives the same per-test results through the shim, disengaged and engaged', async () => {
    const direct = await runPactest('/usr/bin/pacman');
    const free = await runPactest(`${PROJECT_ROOT}/wrappers/pacman`);
    expect(differences(direct, free)).toEqual([]);
    const engaged = await runPactest(`${PROJECT_ROOT}/wrappers/pacman`, { merged: true, locked: true });
    expect(differences(direct, engaged)).toEqual([]);
  }, 1_800_000);
});
