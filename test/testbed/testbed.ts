/**
 * What integration tests import: the testbed runner and describeInTestbed.
 */
import { describe, it } from 'vitest';
import { testbedAvailability } from './namespace.js';

export { PROJECT_ROOT, runInTestbed, testbedAvailability, testbedFixtures, type TestbedOptions, type TestbedResult } from './namespace.js';

/**
 * A describe() for suites that need the testbed. Outside CI it skips with the
 * reason when the testbed is unavailable; under CI=true an unavailable testbed
 * is a failure, never a silent skip.
 */
export function describeInTestbed(name: string, suite: () => void): void {
  const { available, reason } = testbedAvailability();
  if (available) {
    describe(name, suite);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the namespace testbed', () => {
        throw new Error(`the namespace testbed is unavailable under CI: ${reason}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${reason})`, suite);
  }
}
