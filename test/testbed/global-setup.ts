import { testbedAvailability, testbedFixtures } from './namespace.js';

/** Builds the fixture packages once per run, before the integration suites start. */
export default function setup(): void {
  if (testbedAvailability().available) process.env.TESTBED_FIXTURES = testbedFixtures();
}
