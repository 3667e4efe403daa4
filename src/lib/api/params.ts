/**
 * Query-string validation for the API (zod at the boundary). Parameters arrive as untrusted text: each
 * endpoint lists exactly what it accepts, unknown or repeated parameters are refused rather than
 * ignored (a typo like `compnay=` should not silently return everything), and every failure becomes
 * a 400 with a message naming the parameter.
 */
import { z } from 'zod';
import { FACT_KINDS } from '../../shared/facts/kinds.ts';
import { ApiError } from './respond.ts';
import { SEARCH_KINDS } from './search.ts';

const slug = z
  .string()
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a company slug: lower-case letters, digits and dashes');

/** A day (YYYY-MM-DD) or a full ISO-8601 UTC time, compared as text with stored ISO times. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z)?$/, 'a date, YYYY-MM-DD or an ISO-8601 UTC time')
  // Date.parse rolls impossible days over (2025-02-30 → 2 March); a real day survives the round trip.
  .refine((s) => {
    const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s.slice(0, 10);
  }, 'not a real date');

function intIn(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,6}$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback)
    .meta({ description: `a whole number from ${min} to ${max}; default ${fallback}` });
}

/** Opaque to clients: base64url of the last fact id of the previous page. */
const cursor = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const id = /^[A-Za-z0-9_-]+$/.test(s) ? Buffer.from(s, 'base64url').toString('utf8') : '';
    if (!/^[0-9a-f]{1,64}$/.test(id)) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor returned by this API' });
      return z.NEVER;
    }
    return id;
  });

export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

export const FactsParams = z.strictObject({
  company: slug.optional().meta({ description: 'only this company (its slug)' }),
  kind: z.enum(FACT_KINDS).optional().meta({ description: 'only this kind of fact' }),
  since: isoDate.optional().meta({ description: 'only facts with a source published on or after this day or time' }),
  limit: intIn(1, 500, 100),
  cursor: cursor.optional().meta({ description: "the previous answer's nextCursor" }),
});
export type FactsParams = z.infer<typeof FactsParams>;

export const CompaniesParams = z.strictObject({});

export const SearchParams = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, 'q is required')
    .max(200, 'at most 200 characters')
    .meta({ description: 'words, "quoted phrases" and prefix* searches (no other search syntax is read)' }),
  kind: z.enum(SEARCH_KINDS).optional().meta({ description: 'only articles or only facts' }),
  limit: intIn(1, 50, 20),
  /** Hits to skip, for the next page (the answer's nextOffset). Deep pages cost more; 1,000 hits is past what a person reads. */
  offset: intIn(0, 1000, 0),
});
export type SearchParams = z.infer<typeof SearchParams>;

/** Parses a URL's query string with `schema`, or throws a 400 ApiError naming the offending parameter. */
export function parseParams<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (Object.hasOwn(raw, k)) throw new ApiError('bad_request', `parameter ${JSON.stringify(k.slice(0, 40))} given more than once`);
    raw[k] = v;
  }
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ') : issue.path.join('.');
  const message = issue.code === 'unrecognized_keys' ? `unknown parameter ${where}` : `${where}: ${issue.message}`;
  throw new ApiError('bad_request', message);
}
