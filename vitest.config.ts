import { defineConfig } from 'vitest/config';

// Two projects: the fast suites (unit, integration, remote, eval) run file-parallel; the site suite
// builds the sample site once (tests/site/global-setup.ts) and drives it over HTTP and in Debian
// Chromium, one file at a time because each file serves the build and launches a browser.
const shared = {
  environment: 'node' as const,
  // Tests start real HTTP servers and libSQL files; give slow CI machines room without hiding hangs.
  testTimeout: 30_000,
  hookTimeout: 30_000,
  env: { FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' },
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'core', include: ['tests/**/*.test.ts'], exclude: ['tests/site/**', '**/node_modules/**'] } },
      {
        test: {
          ...shared,
          name: 'site',
          include: ['tests/site/**/*.test.ts'],
          globalSetup: ['tests/site/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
