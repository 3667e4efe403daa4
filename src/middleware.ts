/**
 * Pages render only for `factdesk build` (src/lib/site/render-guard.ts): any other request for a
 * page that has no static file is answered by the 404 page, without touching the database. The API
 * (/api/*) and the prerendered pages are not affected. A page that throws while the build renders it
 * answers 500 with the cause in a header, so the build fails with one line naming it.
 */
import { defineMiddleware } from 'astro:middleware';
import { innermostMessage, renderAllowed, RENDER_ERROR_HEADER } from './lib/site/render-guard.ts';

export const onRequest = defineMiddleware(async (ctx, next) => {
  const p = ctx.url.pathname;
  if (ctx.isPrerendered || p === '/api' || p.startsWith('/api/')) return next();
  // No exception for `astro dev`: a build run with NODE_ENV=test (the test suite) compiles as dev mode,
  // and the guard must hold in whatever the build wrote.
  if (!renderAllowed(ctx.request.headers)) return new Response(null, { status: 404 });
  try {
    return await next();
  } catch (err) {
    const message = innermostMessage(err);
    return new Response(err instanceof Error ? (err.stack ?? message) : message, {
      status: 500,
      headers: { [RENDER_ERROR_HEADER]: encodeURIComponent(message.slice(0, 500)), 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
});
