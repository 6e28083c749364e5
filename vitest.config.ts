import { defineConfig } from 'vitest/config';

// Integration suites need root and the namespace testbed (test/testbed/): they
// skip without it, but fail under CI=true. Their bodies run the built CLI, so
// run them through `npm test`, which builds dist/ first.
export default defineConfig({
  test: {
    // Integration files mostly wait on pacman and mounts in their own
    // namespaces, so two files at a time pay off even on a 2-core machine
    // (vitest's default there would be one).
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Generous for the exhaustive and property-based checks: on a busy 2-core
          // machine they take many times what they take alone. Tests check behaviour;
          // timings belong in `npm run bench`.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Builds the fixture packages once per run (cached across runs).
          globalSetup: ['test/testbed/global-setup.ts'],
          // Real pacman transactions, merges and thousands of pacman runs, on a
          // 2-core machine that may be busy with other work: generous, so that a
          // slow machine never fails a test (a hung one still does).
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts'],
          // Builds the three stacks' Debian roots side by side (cached outside
          // the clone, minutes on a cold cache) and boots each once to see that
          // nspawn can. One file per stack (docs/stacks.md), so the two workers
          // boot two stacks at a time.
          globalSetup: ['test/system/global-setup.ts'],
          // Boots, reboots and systemd timers in a container on a busy machine.
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
