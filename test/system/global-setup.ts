import { testbedFixtures } from '../testbed/namespace.js';
import { buildRootfs, Container, systemTestObstacle } from './container.js';
import { obstacleVariable, packageVersion, rootfsVariable, SUITES, type Suite } from './stacks.js';

/**
 * Builds (or finds cached) each stack's root file system, side by side, and
 * boots each once, before the suites are collected. It tells each stack's
 * suite in SYSTEM_TEST_ROOTFS_<SUITE> where its root is, or in
 * SYSTEM_TEST_OBSTACLE_<SUITE> why it cannot run (the suite then skips, or
 * fails under CI=true). Workers are forked after this runs and inherit these,
 * and TESTBED_FIXTURES.
 *
 * PACMAN_GUARD_STACKS (e.g. "sid" or "bookworm,trixie") limits the stacks
 * booted, for a quicker local run (docs/stacks.md); the others are obstacles.
 */
export default async function setup(): Promise<void> {
  const wanted = selectedStacks();
  for (const suite of SUITES) {
    delete process.env[rootfsVariable(suite)];
    delete process.env[obstacleVariable(suite)];
    if (!wanted.includes(suite)) process.env[obstacleVariable(suite)] = `not among PACMAN_GUARD_STACKS=${process.env.PACMAN_GUARD_STACKS}`;
  }
  const obstacle = systemTestObstacle();
  if (obstacle) {
    for (const suite of wanted) process.env[obstacleVariable(suite)] = obstacle;
    return;
  }
  try {
    // The packages the containers' pacman databases get (makepkg, cached with the testbed's fixtures).
    process.env.TESTBED_FIXTURES = testbedFixtures();
  } catch (error) {
    for (const suite of wanted) process.env[obstacleVariable(suite)] = `cannot build the test packages (test/testbed/fixtures.sh): ${String(error)}`;
    return;
  }
  await Promise.all(wanted.map((suite) => prepare(suite)));
}

function selectedStacks(): readonly Suite[] {
  const list = process.env.PACMAN_GUARD_STACKS;
  if (!list) return SUITES;
  const named = list.split(/[\s,]+/).filter(Boolean);
  const unknown = named.filter((name) => !(SUITES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`PACMAN_GUARD_STACKS: unknown stack ${unknown.join(', ')} (${SUITES.join(', ')})`);
  return SUITES.filter((suite) => named.includes(suite));
}

async function prepare(suite: Suite): Promise<void> {
  let started = performance.now();
  let rootfs: string;
  try {
    rootfs = await buildRootfs(suite);
  } catch (error) {
    process.env[obstacleVariable(suite)] = `cannot build the ${suite} root file system (test/system/rootfs.sh): ${String(error)}`;
    return;
  }
  const built = (performance.now() - started) / 1000;
  // Only a real build is worth a line; a cache hit costs a hash.
  if (built > 5) console.log(`system test: built ${rootfs} in ${built.toFixed(1)} s`);
  // What this stack is, in the test output: a reader of a CI log sees which versions were proven.
  const node = packageVersion(rootfs, 'nodejs');
  console.log(
    `system test: ${suite}: systemd ${packageVersion(rootfs, 'systemd')}, pacman ${packageVersion(rootfs, 'pacman-package-manager')}, ` +
      `node ${node !== undefined && Number(/^(\d+)/.exec(node)?.[1]) >= 20 ? `${node} (the root's)` : `${process.version} (the host's, bind-mounted)`}`,
  );
  started = performance.now();
  let container: Container;
  try {
    container = new Container(rootfs);
  } catch (error) {
    process.env[obstacleVariable(suite)] = `cannot use ${rootfs}: ${String(error)}`;
    return;
  }
  try {
    await container.boot();
  } catch (error) {
    process.env[obstacleVariable(suite)] = `systemd-nspawn cannot boot ${rootfs} here: ${error instanceof Error ? error.message : String(error)}`;
    return;
  } finally {
    await container.destroy();
  }
  console.log(`system test: ${suite}: trial boot in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.env[rootfsVariable(suite)] = rootfs;
}
