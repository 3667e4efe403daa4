/**
 * When does a predicted `asOf` name the period the gold fact records? Pure; used by score.ts.
 *
 * A user reads a fact sheet row as "value, for this period", and the latest figure is picked by
 * period — so a right value with a wrong period is a wrong row. The rule (issue 11: "asOf year;
 * quarter or month where the gold has one"), for gold `g` and prediction `p`:
 *
 *  - g null (the annotator found the period unknowable): only a null prediction matches. Dating an
 *    undated earlier figure ("cut from over 10,000 people") to the publication day would make it the
 *    latest headcount on the fact sheet — exactly the error the eval must catch — so no leniency.
 *  - p null, g not null: wrong (the row shows no period where the article gives one).
 *  - p a reporting period (year "2024", half "2024-H1", quarter "2024-Q3"): must equal g exactly. A
 *    quarter is a different reporting period from its year (full-year revenue labelled Q4 would sit
 *    beside the real Q4 figure), and a year does not say which quarter the gold names.
 *  - p a point (month "2024-09" or day "2024-09-30"): must fall inside g at g's granularity — inside
 *    g's year, half or quarter; in g's month when g is a month or a day (the issue asks for the month,
 *    not the day: "filed on Tuesday" read as the publication day of that week still matches).
 *
 * The exact-string agreement is still reported beside this (ScoreResult.asOfAccuracy).
 */

export type Granularity = 'year' | 'half' | 'quarter' | 'month' | 'day';

export interface Period {
  granularity: Granularity;
  year: number;
  /** First and last month of the period, 1–12. */
  firstMonth: number;
  lastMonth: number;
}

const ASOF = /^(\d{4})(?:-(?:Q([1-4])|H([12])|(\d{2})(?:-(\d{2}))?))?$/;

/** Parses a contract asOf ("2024", "2024-H1", "2024-Q3", "2024-09", "2024-09-30"); null when malformed. */
export function parsePeriod(asOf: string): Period | null {
  const m = ASOF.exec(asOf.trim());
  if (!m) return null;
  const year = Number(m[1]);
  if (m[2]) {
    const q = Number(m[2]);
    return { granularity: 'quarter', year, firstMonth: 3 * q - 2, lastMonth: 3 * q };
  }
  if (m[3]) {
    const h = Number(m[3]);
    return { granularity: 'half', year, firstMonth: 6 * h - 5, lastMonth: 6 * h };
  }
  if (m[4]) {
    const month = Number(m[4]);
    if (month < 1 || month > 12) return null;
    return { granularity: m[5] ? 'day' : 'month', year, firstMonth: month, lastMonth: month };
  }
  return { granularity: 'year', year, firstMonth: 1, lastMonth: 12 };
}

const isPoint = (p: Period): boolean => p.granularity === 'month' || p.granularity === 'day';

export function periodMatches(gold: string | null | undefined, pred: string | null | undefined): boolean {
  const g = gold ?? null;
  const p = pred ?? null;
  if (g === null || p === null) return g === p;
  const gp = parsePeriod(g);
  const pp = parsePeriod(p);
  // A malformed gold period is caught by the gold-validity test; a malformed prediction is wrong.
  if (!gp || !pp) return g === p;
  if (gp.year !== pp.year) return false;
  if (!isPoint(pp)) return gp.granularity === pp.granularity && gp.firstMonth === pp.firstMonth;
  return pp.firstMonth >= gp.firstMonth && pp.firstMonth <= gp.lastMonth;
}
