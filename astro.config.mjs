import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { CSP_DIRECTIVES, SCRIPT_SOURCES, STYLE_SOURCES } from './src/lib/api/security.ts';

// Pages that read the database are on-demand routes (`export const prerender = false`) that only
// `factdesk build` may render (src/middleware.ts): it renders the pages that changed through the built
// server and writes them as static files (src/cli/site-build/), so every page is still a plain file
// on any static host or CDN. The API routes run on the node server (`factdesk serve` wraps the
// adapter's handler to add security headers to every response, static files included). Pages that
// read nothing (404, search) are prerendered by Astro as before.
export default defineConfig({
  output: 'static',
  // `factdesk build` passes its own outDir: a fresh release folder it swaps in when the whole build
  // succeeded (src/cli/site-releases.ts). A hand-run `astro build` lands here instead, so it can
  // never empty the release that dist/ links to and `factdesk serve` is serving.
  outDir: './dist.builds/astro-build',
  // Whole answers, not streams: a page that fails while the build renders it fails as a whole, with
  // its cause (src/middleware.ts), instead of a page cut short after its first bytes.
  adapter: node({ mode: 'standalone', experimentalDisableStreaming: true }),
  server: { host: '127.0.0.1', port: 4321 },
  // No inline <style> or <script>: the Content-Security-Policy allows our own files only.
  build: { inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
  // Astro writes the policy into every prerendered page as <meta http-equiv="content-security-policy">,
  // adding hashes of anything it inlines itself, so the pages stay protected on a CDN or any static
  // host; `factdesk serve` also sends it as a header (src/lib/api/security.ts has both halves).
  security: {
    csp: {
      directives: [...CSP_DIRECTIVES],
      scriptDirective: { resources: [...SCRIPT_SOURCES] },
      styleDirective: { resources: [...STYLE_SOURCES] },
    },
  },
  // Shiki colours code with inline style attributes, which the policy forbids; no page needs it.
  markdown: { syntaxHighlight: false },
});
