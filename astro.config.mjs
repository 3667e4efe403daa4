import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// Pages are prerendered from the database at build time (static by default); API routes opt out
// with `export const prerender = false` and run on the standalone node server.
export default defineConfig({
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  server: { host: '127.0.0.1', port: 4321 },
});
