/**
 * Binds the API handlers to Astro: the site's database (opened from DATABASE_URL on the first
 * request, so `factdesk serve` reads it at serve time) and one rate limiter per server process,
 * configured by FACTDESK_API_RATE (requests a minute, default 60) and FACTDESK_API_BURST (default 30).
 */
import type { APIContext, APIRoute } from 'astro';
import { siteDb } from '../site/db.ts';
import { handleApi, type Handler } from './handlers.ts';
import { RateLimiter } from './rate-limit.ts';

let limiter: RateLimiter | undefined;

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function processLimiter(): RateLimiter {
  limiter ??= new RateLimiter({ perMinute: envNumber('FACTDESK_API_RATE', 60), burst: envNumber('FACTDESK_API_BURST', 30) });
  return limiter;
}

function clientOf(ctx: APIContext): string {
  try {
    // The socket's address (the adapter does not trust X-Forwarded-For unless configured to).
    return ctx.clientAddress || 'unknown';
  } catch {
    return 'unknown';
  }
}

export function apiRoute(handler: Handler): APIRoute {
  return (ctx) => handleApi(ctx.request, handler, { db: siteDb, limiter: processLimiter(), client: clientOf(ctx) });
}
