/**
 * A database holding what hostile feeds put in the fields we show and export: a 3,000-character
 * outlet name, 500-character unbroken titles, authors, company names, speakers and labels, and text
 * cells that a spreadsheet would run as formulas (= + - @ tab CR), beside a numeric value of
 * -5,000,000 that must stay a number. Written straight into a real libSQL file (migrated by
 * openDb), as the collector and extractor would have stored them.
 */
import { openDb } from '../../db/client.ts';
import { articles, companies, facts, factSources, feeds, runs } from '../../db/schema.ts';

/** One unbroken "word" of exactly n characters (no space, no hyphen: nothing to wrap at). */
export const unbroken = (stem: string, n: number): string => stem.repeat(Math.ceil(n / stem.length)).slice(0, n);

export const LONG = {
  outlet: unbroken('Outletname', 3000),
  feedTitle: unbroken('Feedtitle', 3000),
  title: unbroken('Headline', 500),
  author: unbroken('Reporter', 500),
  company: unbroken('Megacorp', 500),
  speaker: unbroken('Speaker', 500),
  label: unbroken('Metriclabel', 500),
  word: unbroken('Wordinthetext', 500),
  url: `https://news.example/${unbroken('path', 500)}`,
};

/** Formula-leading text cells, by the field they land in. */
export const FORMULA = {
  outlet: "=cmd|' /C calc'!A0",
  companyName: '=HYPERLINK("http://evil.example/","click me")',
  label: '-2+3+cmd|\' /C calc\'!A0',
  speaker: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  quote: '+1+cmd|\' /C calc\'!A0',
  statement: '\t=1+1 tab-led',
  evidence: '\r=1+1 cr-led',
  fullwidth: '＝1+1',
};

export interface HostileIds {
  longSlug: string;
  formulaSlug: string;
  longArticle: number;
  formulaArticle: number;
}

function span(text: string, piece: string) {
  const start = text.indexOf(piece);
  if (start < 0) throw new Error(`"${piece.slice(0, 40)}" not in text`);
  return { evidence: piece, start, end: start + piece.length };
}

export async function seedHostileStrings(url: string): Promise<HostileIds> {
  const { db, close } = await openDb(url);
  try {
    const [feed] = await db
      .insert(feeds)
      .values({ url: `https://feeds.example/${unbroken('feed', 400)}.xml`, title: LONG.feedTitle, siteUrl: LONG.url, errorCount: 2, lastError: unbroken('Error', 500), lastFetchedAt: '2025-06-01T00:00:00.000Z' })
      .returning();
    const [longCo, formulaCo] = await db
      .insert(companies)
      .values([
        { slug: 'megacorp', name: LONG.company, origin: 'text' },
        { slug: 'formula-inc', name: FORMULA.companyName, origin: 'text' },
      ])
      .returning();
    const longText = [
      `${LONG.company} was valued at $4.5 billion in June 2025.`,
      `"${LONG.word}," said ${LONG.speaker}.`,
      `The ${LONG.label} rose to 12 in 2025.`,
    ].join('\n\n');
    const formulaText = [
      `Formula Inc reported a net loss of $5 million in 2024.`,
      FORMULA.evidence,
      `${FORMULA.quote} said ${FORMULA.speaker}.`,
      FORMULA.fullwidth,
    ].join('\n\n');
    const common = { contentHash: 'h', simhash: '0000000000000000', feedId: feed!.id, extractionStatus: 'done' };
    const [a1, a2] = await db
      .insert(articles)
      .values([
        { key: 'long', url: LONG.url, title: LONG.title, author: LONG.author, outlet: LONG.outlet, publishedAt: '2025-06-02T12:00:00.000Z', text: longText, wordCount: 30, ...common },
        { key: 'formula', url: 'https://news.example/formula', title: '+SUM(1,2) formula title', author: '@author', outlet: FORMULA.outlet, publishedAt: '2025-06-03T12:00:00.000Z', text: formulaText, wordCount: 20, ...common },
      ])
      .returning();
    const base = { extractor: 'rules/1', confidence: 0.9 };
    await db.insert(facts).values([
      { id: 'long-val', companyId: longCo!.id, kind: 'valuation', value: 4.5e9, unit: 'USD', asOf: '2025-06', statement: `${LONG.company} was valued at $4.5 billion in June 2025.`, ...base },
      { id: 'long-quote', companyId: longCo!.id, kind: 'quote', speaker: LONG.speaker, quote: LONG.word, statement: `"${LONG.word}," said ${LONG.speaker}.`, ...base },
      { id: 'long-metric', companyId: longCo!.id, kind: 'metric', value: 12, label: LONG.label, asOf: '2025', statement: `The ${LONG.label} rose to 12 in 2025.`, ...base },
      { id: 'f-loss', companyId: formulaCo!.id, kind: 'net_income', value: -5_000_000, unit: 'USD', changePct: -12.5, asOf: '2024', label: FORMULA.label, statement: FORMULA.statement, ...base },
      { id: 'f-quote', companyId: formulaCo!.id, kind: 'quote', speaker: FORMULA.speaker, quote: FORMULA.quote, statement: `${FORMULA.quote} said ${FORMULA.speaker}.`, ...base },
    ]);
    const src = (factId: string, articleId: number, text: string, piece: string) => ({ factId, articleId, revision: 1, extractor: 'rules/1', ...span(text, piece) });
    await db.insert(factSources).values([
      src('long-val', a1!.id, longText, `${LONG.company} was valued at $4.5 billion in June 2025.`),
      src('long-quote', a1!.id, longText, `"${LONG.word}," said ${LONG.speaker}.`),
      src('long-metric', a1!.id, longText, `The ${LONG.label} rose to 12 in 2025.`),
      src('f-loss', a2!.id, formulaText, FORMULA.evidence),
      src('f-quote', a2!.id, formulaText, `${FORMULA.quote} said ${FORMULA.speaker}.`),
    ]);
    await db.insert(runs).values({ kind: 'refresh', status: 'finished', startedAt: '2025-06-04T00:00:00.000Z', stats: '{"articlesNew":2,"feedsFetched":1}' });
    return { longSlug: 'megacorp', formulaSlug: 'formula-inc', longArticle: a1!.id, formulaArticle: a2!.id };
  } finally {
    close();
  }
}
