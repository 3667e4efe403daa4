/**
 * The article-level reading as a short note for the LLM prompt: the companies and people the article
 * names (with roles), what "the company" refers to, and the governing reporting period paragraph by
 * paragraph. The rules consult the same reading; the model gets it so that both read the article,
 * not the sentence, and whatever the model answers still passes the one grounding gate.
 */
import type { ArticleInput } from '../types.ts';
import { splitSentences } from '../rules/sentences.ts';
import { analyseCompanies, loadCompanyRegistry, type CompanyRegistry } from '../rules/companies.ts';
import { indexPeople } from '../rules/quotes.ts';
import { readPeriods } from './periods.ts';

export interface ArticleContext {
  subject: string | null;
  companies: { name: string; slug: string | null }[];
  people: { name: string; roles: string[] }[];
  /** Governing period per paragraph (1-based), runs of equal periods merged. */
  periods: { from: number; to: number; period: string }[];
  publicationDay: string | null;
}

export function readArticleContext(article: ArticleInput, registry: CompanyRegistry = loadCompanyRegistry()): ArticleContext {
  const text = article.text ?? '';
  const sentences = splitSentences(text);
  const ctx = analyseCompanies(text, article.title, registry, sentences);
  const companyNames = new Set(ctx.mentions.map((m) => m.name));
  const people = indexPeople(text, companyNames);
  const periods = readPeriods(text, article.title, article.publishedAt);

  const companies = new Map<string, { name: string; slug: string | null }>();
  for (const m of ctx.mentions) if (!companies.has(m.key)) companies.set(m.key, { name: m.name, slug: m.slug });
  const named = new Map<string, Set<string>>();
  for (const m of people.mentions) {
    const full = m.name.includes(' ') ? m.name : (people.full.get(m.name) ?? m.name);
    if (!full.includes(' ')) continue;
    if (!named.has(full)) named.set(full, new Set());
  }
  for (const [name, roles] of people.roles) named.set(name, new Set([...(named.get(name) ?? []), ...roles]));

  // Paragraph starts, for "paragraphs 3–5: 2024-Q3".
  const paraStarts: number[] = [];
  for (const s of sentences) if (paraStarts.length <= s.para) paraStarts.push(s.start);
  const runs: ArticleContext['periods'] = [];
  paraStarts.forEach((start, i) => {
    const g = periods.governingAt(start + 1) ?? periods.governingAt((paraStarts[i + 1] ?? text.length) - 1);
    if (!g) return;
    const last = runs.at(-1);
    if (last && last.period === g.period && last.to === i) last.to = i + 1;
    else runs.push({ from: i + 1, to: i + 1, period: g.period });
  });
  const day = article.publishedAt && !Number.isNaN(Date.parse(article.publishedAt)) ? new Date(article.publishedAt).toISOString().slice(0, 10) : null;
  return {
    subject: ctx.subject?.name ?? null,
    companies: [...companies.values()].slice(0, 20),
    people: [...named].slice(0, 20).map(([name, roles]) => ({ name, roles: [...roles] })),
    periods: runs,
    publicationDay: day,
  };
}

/** The reading as prompt text: a few plain lines, or a line saying there is nothing to add. */
export function formatArticleContext(c: ArticleContext): string {
  const lines: string[] = [];
  if (c.subject) lines.push(`Main company (what "the company", "it" usually refer to): ${c.subject}`);
  if (c.companies.length) lines.push(`Companies named: ${c.companies.map((x) => (x.slug ? `${x.name} [${x.slug}]` : x.name)).join('; ')}`);
  if (c.people.length) lines.push(`People named: ${c.people.map((p) => (p.roles.length ? `${p.name} (${p.roles.join(', ')})` : p.name)).join('; ')}`);
  if (c.periods.length) {
    lines.push(
      `Reporting period in force (figures without their own period belong to it; "a year earlier" is a year before it): ${c.periods
        .map((r) => `${r.from === r.to ? `paragraph ${r.from}` : `paragraphs ${r.from}–${r.to}`}: ${r.period}`)
        .join('; ')}`,
    );
  }
  if (c.publicationDay) lines.push(`Publication day (present-tense state is as of this day): ${c.publicationDay}`);
  return lines.length ? lines.join('\n') : '(nothing beyond the text)';
}
