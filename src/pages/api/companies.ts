/** GET /api/companies — see getCompanies in src/lib/api/handlers.ts. On demand: it reads the database per request. */
import { getCompanies } from '../../lib/api/handlers.ts';
import { apiRoute } from '../../lib/api/route.ts';

export const prerender = false;
// ALL, not GET: other methods get a 405 JSON answer from handleApi instead of Astro's HTML 404.
export const ALL = apiRoute(getCompanies);
