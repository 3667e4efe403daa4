import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    // Tests start real HTTP servers and libSQL files; give slow CI machines room without hiding hangs.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' },
  },
});
