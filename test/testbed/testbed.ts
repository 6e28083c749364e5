/**
 * What integration tests import: the testbed runner and describeInTestbed.
 */
import { describe, it } from 'vitest';
import { testbedAvailability } from './namespace.js';

export {
  PROJECT_ROOT,
  runInTestbed,
  testbedAvailability,
  testbedFixtures,
  type TestbedAvailability,
  type TestbedOptions,
  type TestbedResult,
} from './namespace.js';

/** CI runs must never pass by skipping: `.ci/run` runs with CI=true. */
function inCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/**
 * A describe() for suites that need the testbed. Outside CI it skips with the
 * reason when the testbed is unavailable; under CI an unavailable testbed is a
 * failing test, never a silent skip.
 */
export function describeInTestbed(name: string, suite: () => void): void {
  const { available, reason } = testbedAvailability();
  if (available) {
    describe(name, suite);
  } else if (inCI()) {
    describe(name, () => {
      it('needs the namespace testbed', () => {
        throw new Error(`the namespace testbed is unavailable under CI: ${reason}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${reason})`, suite);
  }
}
