/** Any other /api/… path: a JSON 404 (not the HTML not-found page), through the same checks. */
import { notFound } from '../../lib/api/handlers.ts';
import { apiRoute } from '../../lib/api/route.ts';

export const prerender = false;
export const ALL = apiRoute(notFound);
