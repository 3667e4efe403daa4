/**
 * The site's Content-Security-Policy and security headers, in one place for both places they are
 * delivered:
 *   - as HTTP headers on every response of `factdesk serve` (static files and API alike), and
 *   - as a <meta http-equiv> tag that Astro writes into each prerendered page (astro.config.mjs,
 *     `security.csp`), with hashes of any script or style Astro itself inlines — so pages copied to a
 *     CDN or any static host stay locked down without server configuration.
 *
 * Both policies apply when both are present (a browser enforces each), so the meta policy must allow
 * everything the header does for scripts and styles ('wasm-unsafe-eval' for pagefind's WebAssembly).
 * frame-ancestors only works as a header (browsers ignore it in <meta>), hence its absence from the
 * meta directives below.
 */

/** Directives shared by the header and the meta tag, except script-src and style-src. */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
] as const;

/** Sources for scripts: our bundled files, and compiling (not eval-ing) pagefind's WASM. */
export const SCRIPT_SOURCES = ["'self'", "'wasm-unsafe-eval'"] as const;
/** Styles: our bundled stylesheets only (build.inlineStylesheets: 'never', no style="" attributes). */
export const STYLE_SOURCES = ["'self'"] as const;

export const CONTENT_SECURITY_POLICY = [
  CSP_DIRECTIVES[0],
  `script-src ${SCRIPT_SOURCES.join(' ')}`,
  `style-src ${STYLE_SOURCES.join(' ')}`,
  ...CSP_DIRECTIVES.slice(1),
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // Legacy twin of frame-ancestors for browsers that predate CSP 2.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
