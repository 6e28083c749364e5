import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import { PACMAN_VARIANTS } from '../../../src/pacman/options.js';
import { deriveFastPathRules, fastPathAllows, findLockingCombination } from '../../../src/shim/fast-path.js';
import { CHECKOUT_SHIM_PATH, renderCheckoutShim } from '../../../src/shim/write-checkout-shim.js';
import { samplePacmanCommandLines } from '../../support/pacman-command-arbitrary.js';

const rules = deriveFastPathRules();

describe('the shim fast path derived from the model', () => {
  it(`admits no cluster that takes the lock in any pacman variant (${PACMAN_VARIANTS.join(', ')}; exhaustive over its letter sets)`, async () => {
    for (const rule of rules) {
      expect(findLockingCombination(rule), rule.operation).toBeUndefined();
      // One rule at a time: a worker blocked for a minute on a busy machine misses vitest's own calls.
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('covers every operation with at least one read-only form', () => {
    expect(rules.map((rule) => rule.operation).sort()).toEqual(['D', 'F', 'Q', 'R', 'S', 'T', 'U']);
  });

  it.each([
    ['-Q', true],
    ['-Qi guardtest', true],
    ['-Qqe', true],
    ['-Qkk', true],
    ['-Ss guard', true],
    ['-Si guardtest', true],
    ['-Sl', true],
    ['-Sp guardtest', true],
    ['-Sup', true],
    ['-F hello', true],
    ['-Dk', true],
    ['-T guardtest-dep', true],
    ['-Rp guardtest', true],
    ['-Sh', true],
    ['-V', true],
    ['-SyV', true],
    // Not in the fast path: they lock, or the shape is not simple enough.
    ['-S guardtest', false],
    ['-Syu', false],
    ['-Ssy guard', false],
    ['-Ss guard -y', false],
    ['-Sc', false],
    ['-Fy', false],
    ['-R guardtest', false],
    ['-U x.pkg.tar.zst', false],
    ['-D --asdeps x', false],
    ['-Qb /tmp', false],
    ['-Qi --color never guardtest', false],
    ['--query', false],
    ['-QS', false],
    ['', false],
    ['guardtest -Q', false],
  ])('%s → %s', (line, expected) => {
    expect(fastPathAllows(line.split(' ').filter(Boolean), rules)).toBe(expected);
  });

  it('never lets through a generated command line that the model says takes the lock', () => {
    const lines = samplePacmanCommandLines(5_000, 7);
    const admitted = lines.filter((args) => fastPathAllows(args, rules));
    for (const args of admitted) {
      for (const variant of PACMAN_VARIANTS) {
        expect(parsePacmanCommand(args, { variant }).needsLock, `${args.join(' ')} on ${variant}`).toBe(false);
      }
    }
    // The sample must actually exercise the fast path.
    expect(admitted.length).toBeGreaterThan(100);
  });

  it('wrappers/pacman is exactly what the model renders (run npm run generate after changing the model)', () => {
    expect(readFileSync(CHECKOUT_SHIM_PATH, 'utf8')).toBe(renderCheckoutShim());
  });
});
