import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/testbed/global-setup.ts'],
    // Integration tests run real pacman transactions and mounts in namespaces.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
