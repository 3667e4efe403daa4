/**
 * Companies named in any script get a page: a real refresh from a fake outlet on 127.0.0.1, then the
 * real `factdesk build`. Cyrillic and Greek names are found by the rules extractor ("Сбербанк, a
 * Moscow-based lender, raised…" once made the slug '' and failed the build with "Missing parameter:
 * slug" after dist/ was emptied); CJK, Arabic and emoji-only names have no capitals for the rules to
 * see, so a second refresh reads them with the LLM extractor against a fake OpenAI server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { companies, facts } from '../../db/schema.ts';
import { slugify } from '../../src/extract/identity.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeReply } from '../helpers/fake-openai.ts';
import { articleParagraphs, startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

/** feed 0 → rules extractor, feed 1 → LLM extractor. */
const NAMES = [
  { feed: 0, name: 'Сбербанк', lead: 'Сбербанк, a Moscow-based lender, raised $900 million in new funding in March 2025.', slug: 'sberbank' },
  { feed: 0, name: 'Πειραιώς', lead: 'Πειραιώς, an Athens-based lender, raised $300 million in new funding in April 2025.', slug: 'peiraios' },
  { feed: 1, name: '招商银行', lead: '招商银行 raised $500 million in new funding in May 2025.', slug: 'zhao-shang-yin-xing' },
  { feed: 1, name: 'مصرف الراجحي', lead: 'مصرف الراجحي raised $400 million in new funding in May 2025.', slug: 'msrf-lrjhy' },
  { feed: 1, name: '🚀💸', lead: '🚀💸 raised $200 million in new funding in May 2025.', slug: null },
];

let dir: string;
let outlet: FakeOutlet;
let llm: FakeOpenAI;
let env: NodeJS.ProcessEnv;
let build: CliResult;
const distDir = () => path.join(dir, 'dist');

/** The fake model reads "<name> raised $N million …" from the article it was sent, as a model would. */
function answer(body: { messages: { role: string; content: string }[] }): FakeReply {
  const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  const m = /(?:^|\n)([^\n]+?) raised \$(\d+) million in new funding in May 2025\./.exec(user);
  const facts = m
    ? [{
        kind: 'funding', company: m[1]!.trim(), value: Number(m[2]) * 1e6, valueHigh: null, unit: 'USD', direction: null,
        changePct: null, approximate: false, label: null, status: null, asOf: '2025', speaker: null, quote: null,
        evidence: m[0].trim(), confidence: 0.9,
      }]
    : [];
  return { type: 'answer', answer: { facts, summary: null, subject: m?.[1]?.trim() ?? null }, usage: { prompt_tokens: 100, completion_tokens: 10 } };
}

function json(r: CliResult) {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-names-'));
  outlet = await startFakeOutlet({ feeds: 2, perFeed: NAMES.length });
  llm = await startFakeOpenAI({ default: (req) => answer(req.body) });
  // Each named company leads one article of its feed; the feed's other articles are left as generated.
  const next = [0, 0];
  for (const [i, n] of NAMES.entries()) {
    const a = outlet.articles.find((x) => x.feed === n.feed && x.index === next[n.feed]!)!;
    next[n.feed]!++;
    outlet.edit(a.path, [n.lead, ...articleParagraphs(1000 + i, 4).slice(1)], `${n.name} raises new funding`);
  }
  env = {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, 'names.db')}`,
    OPENAI_BASE_URL: llm.baseURL,
    OPENAI_API_KEY: 'test-key',
    FACTDESK_MODEL: 'fake-model',
  };
  expect((await runCli(['feeds', 'add', outlet.feedUrl(0)], env)).code).toBe(0);
  const rules = json(await runCli(['refresh', '--json'], env, { timeoutMs: 60_000 }));
  expect(rules.extract.stats.factsAccepted).toBeGreaterThan(0);
  expect((await runCli(['feeds', 'add', outlet.feedUrl(1)], env)).code).toBe(0);
  const viaLlm = json(await runCli(['refresh', '--extractor', 'llm', '--json'], env, { timeoutMs: 60_000 }));
  expect(viaLlm.extract.stats.factsAccepted).toBeGreaterThanOrEqual(3);
  // A database written by an older version still holds a company with the slug '' (and its fact):
  // the build must skip that page and say so, not fail.
  const handle = await openDb(env.DATABASE_URL!);
  const [legacy] = await handle.db.insert(companies).values({ slug: '', name: 'Тинькофф', origin: 'text' }).returning();
  await handle.db.insert(facts).values({ id: 'legacy-empty-slug', companyId: legacy!.id, kind: 'funding', value: 1e8, unit: 'USD', statement: 'Тинькофф raised $100 million.', extractor: 'rules/1', confidence: 0.9 });
  handle.close();
  build = await runCli(['build', '--out', distDir()], env, { timeoutMs: 170_000 });
}, 180_000);

afterAll(async () => {
  await outlet?.close();
  await llm?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('companies named in other scripts', () => {
  it('build exits 0, skipping (and naming) a page whose old slug is empty', () => {
    expect(build.code, build.stderr.slice(-3000)).toBe(0);
    expect(build.stdout + build.stderr).toMatch(/skipping the page of company "Тинькофф": its slug "" cannot be a URL/);
  });

  it.each(NAMES)('$name has a company page at its transliterated (or hashed) slug', ({ name, slug }) => {
    // The company list links the name to its page…
    const index = readFileSync(path.join(distDir(), 'client', 'companies', 'index.html'), 'utf8');
    const link = new RegExp(`<a href="/companies/([^"/]*)/"[^>]*>${name}</a>`).exec(index);
    expect(link, `no link to ${name} in /companies/`).not.toBeNull();
    const s = link![1]!;
    if (slug) expect(s).toBe(slug);
    else expect(s).toMatch(/^company-[0-9a-f]{12}$/);
    expect(s).toBe(slugify(name));
    // …and the page is there.
    const page = path.join(distDir(), 'client', 'companies', s, 'index.html');
    expect(existsSync(page), page).toBe(true);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(new RegExp(`<h1[^>]*>${name}`));
    // The figure the article reported is on the page, and the company list links to the page.
    expect(html).toMatch(/\$\d00(?:\.0)?\s?(?:million|m)\b/i);
    expect(existsSync(path.join(distDir(), 'client', 'exports', 'companies', `${s}.json`))).toBe(true);
  });
});
