import { defineConfig } from 'vitest/config';

/**
 * Tests whose assertions depend on every slot being met (a committee re-executing and attesting within 8 s slots):
 * they run after the rest, alone, so the other tests' anvils and nodes do not take their two cores.
 */
const ALONE = [
  'test/e2e/committee.test.ts',
  'test/e2e/sentinel.test.ts',
  'test/e2e/ha-signing.test.ts',
  'test/e2e/inactivity-slashing.test.ts',
];

/** Tests that build the image and run containers on a Docker engine (`npm run test:docker`; see test/docker/). */
const DOCKER = ['test/docker/**/*.test.ts'];

const shared = {
  // Integration tests start real anvil processes; keep them from fighting over two cores.
  pool: 'forks',
  testTimeout: 60_000,
  hookTimeout: 60_000,
  env: { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
} as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...ALONE, ...DOCKER],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: { ...shared, name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      {
        // One engine, one image, containers on the host's network: one file at a time, after the rest.
        test: {
          ...shared,
          name: 'docker',
          include: DOCKER,
          maxWorkers: 1,
          fileParallelism: false,
          globalSetup: ['test/docker/global-setup.ts'],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
