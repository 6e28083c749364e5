import { testbedAvailability, testbedFixtures } from './namespace.js';

/**
 * Builds the fixture packages once per run, before the integration suites
 * start, and hands their directory to the workers in TESTBED_FIXTURES (they
 * are forked after this runs and inherit it). Where the testbed is unavailable
 * the suites skip or fail by themselves (describeInTestbed), so nothing is built.
 */
export default function setup(): void {
  if (!testbedAvailability().available) return;
  const started = performance.now();
  process.env.TESTBED_FIXTURES = testbedFixtures();
  const elapsed = performance.now() - started;
  // Only a real build is worth a line; a cache hit takes a few milliseconds.
  if (elapsed > 1000) console.log(`testbed: built fixture packages in ${(elapsed / 1000).toFixed(1)} s: ${process.env.TESTBED_FIXTURES}`);
}
