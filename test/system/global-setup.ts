import { testbedFixtures } from '../testbed/namespace.js';
import { buildRootfs, Container, systemTestObstacle } from './container.js';

/**
 * Builds (or finds cached) the system test's root file system and boots it
 * once, before the suite is collected, and tells the suite in
 * SYSTEM_TEST_ROOTFS, or in SYSTEM_TEST_OBSTACLE why it cannot run (the suite
 * then skips, or fails under CI=true). Workers are forked after this runs and
 * inherit both, and TESTBED_FIXTURES.
 */
export default async function setup(): Promise<void> {
  delete process.env.SYSTEM_TEST_ROOTFS;
  delete process.env.SYSTEM_TEST_OBSTACLE;
  const obstacle = systemTestObstacle();
  if (obstacle) {
    process.env.SYSTEM_TEST_OBSTACLE = obstacle;
    return;
  }
  let started = performance.now();
  let rootfs: string;
  try {
    rootfs = buildRootfs();
  } catch (error) {
    process.env.SYSTEM_TEST_OBSTACLE = `cannot build the root file system (test/system/rootfs.sh): ${String(error)}`;
    return;
  }
  const built = (performance.now() - started) / 1000;
  try {
    // The package the container's pacman database gets (makepkg, cached with the testbed's fixtures).
    process.env.TESTBED_FIXTURES = testbedFixtures();
  } catch (error) {
    process.env.SYSTEM_TEST_OBSTACLE = `cannot build the test packages (test/testbed/fixtures.sh): ${String(error)}`;
    return;
  }
  // Only a real build is worth a line; a cache hit costs a hash.
  if (built > 5) console.log(`system test: built ${rootfs} in ${built.toFixed(1)} s`);
  started = performance.now();
  const container = new Container(rootfs);
  try {
    await container.boot();
  } catch (error) {
    process.env.SYSTEM_TEST_OBSTACLE = `systemd-nspawn cannot boot ${rootfs} here: ${error instanceof Error ? error.message : String(error)}`;
    return;
  } finally {
    await container.destroy();
  }
  console.log(`system test: trial boot of ${rootfs} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.env.SYSTEM_TEST_ROOTFS = rootfs;
}
