/**
 * Who may render a page. The pages are on-demand routes so that `factdesk build` can render any subset
 * of them through the built server (src/cli/site-build/render.ts) and write each to a static file;
 * everyone else gets the files. The build names a random token in its own environment and sends it
 * with each request; `factdesk serve` never has one, so a path with no file is a 404 there, not a
 * render of the whole database on a visitor's request.
 */
export const RENDER_HEADER = 'x-factdesk-render';
export const RENDER_TOKEN_ENV = 'FACTDESK_RENDER_TOKEN';
/** Set on a failed render's 500 answer: the innermost cause, so the build can name it in one line. */
export const RENDER_ERROR_HEADER = 'x-factdesk-render-error';

export function renderAllowed(headers: Headers): boolean {
  const token = process.env[RENDER_TOKEN_ENV];
  return !!token && token.length >= 32 && headers.get(RENDER_HEADER) === token;
}

/** The first line of the innermost cause (drizzle's "Failed query" wraps the SQLite error that says what is wrong). */
export function innermostMessage(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error && e.cause.message) e = e.cause;
  const raw = e instanceof Error ? e.message || e.name : String(e);
  return raw.split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown error';
}
