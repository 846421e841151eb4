import { defineConfig } from 'vitest/config';

// `npm run test:slurm`: the tests that start a one-node Slurm cluster (Debian's slurmctld, slurmd and munge).
export default defineConfig({
  test: {
    include: ['test/slurm/**/*.slurm-test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
