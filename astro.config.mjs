import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// Pages are prerendered from the database at build time (static by default); API routes opt out
// with `export const prerender = false` and run on the node server (`factdesk serve` wraps the
// adapter's handler to add security headers to every response).
export default defineConfig({
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  server: { host: '127.0.0.1', port: 4321 },
  // No inline <style> or <script>: the Content-Security-Policy allows our own files only.
  build: { inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
});
