/**
 * A generated multi-outlet corpus for the cross-outlet layer, written as a sample-outlet folder (feeds,
 * pages, an OPML list) so the real pipeline reads it: refresh → extract → reconcile → build.
 *
 * Each company's story is told by several outlets in their own words, with the traps real coverage
 * sets: a figure given at a month by one outlet and at its year by another, approximate and rounded
 * restatements, a head count for one cut that two outlets give differently, one raise dated to two
 * different years, a quarter beside its year, two IPO prices, a planned raise beside the final proceeds,
 * and a syndicated reprint that must add a source, never a fact. `expect` says, per claim, what a
 * researcher would sign: which claims are one corroborated figure and which pairs contradict.
 *
 * Numbers vary per company (a seed), so no rule can be right by matching one figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Claim {
  /** Stable name of the claim within its company's story, e.g. "valuation-2021". */
  key: string;
  company: string;
  kind: string;
  value: number;
  /** Outlet slugs whose own (independent) articles state the claim. */
  outlets: string[];
}

export interface Expectation {
  /** Claims that several independent outlets state alike: one figure, corroborated, never disputed. */
  agree: Claim[];
  /** Pairs of claims that contradict (other value at the same period, or the same value at another period). */
  conflicts: [Claim, Claim][];
  /** Claims that must stay undisputed although a similar figure sits next to them (another measure or period). */
  undisputed: Claim[];
}

export interface StoryCorpus {
  root: string;
  companies: { name: string; slug: string }[];
  outlets: { slug: string; name: string }[];
  /** Outlet slug of the syndicating outlet and the slug of the outlet it copies from. */
  copier: { slug: string; copies: string };
  expect: Expectation;
  /** Articles written, copies included. */
  articleCount: number;
}

const OUTLETS = [
  { slug: 'harbour', name: 'Harbour Finance Post' },
  { slug: 'ledgerline', name: 'Ledgerline' },
  { slug: 'vaultwatch', name: 'Vault Watch' },
  { slug: 'ticker', name: 'The Ticker Review' },
  { slug: 'wirefeed', name: 'Wirefeed Syndicate' },
] as const;

const COMPANIES = ['Fernpay', 'Quillbank', 'Orbisend', 'Tallowpay'];

/** Filler with no figures in it, different per outlet so two write-ups of one story are not copies. */
const FILLER: Record<string, string[]> = {
  harbour: [
    'Investors have spent the year weighing how quickly consumer lenders can turn growth into steady profit.',
    'Analysts who follow the sector say the pressure from regulators has shifted the conversation toward risk and capital.',
    'The company did not comment further on its plans beyond the statements it has already made in public.',
  ],
  ledgerline: [
    'The payments industry has been through a long cycle of cheap money, rapid hiring and then a hard reset.',
    'Rivals in Europe and America are watching closely, since the outcome will shape how the whole market is priced.',
    'People familiar with the matter described the mood inside the business as cautious but determined.',
  ],
  vaultwatch: [
    'Private market prices for financial technology firms have moved sharply with interest rates over recent years.',
    'Several venture investors said they now ask for clearer paths to profitability before backing late-stage rounds.',
    'The firm has been expanding its product range while trying to keep its costs under control.',
  ],
  ticker: [
    'Public listings in the sector have been rare, and bankers say the window opens and closes with little warning.',
    'Shareholders will look for signs that margins can hold up once the costs of a listing are taken into account.',
    'The wider market for consumer credit has stayed resilient, although delinquencies have edged higher.',
  ],
};

interface Article {
  outlet: string;
  slug: string;
  title: string;
  published: string;
  author: string;
  paragraphs: string[];
}

function money(n: number): string {
  return n >= 1e9 ? `$${+(n / 1e9).toFixed(1)} billion` : `$${+(n / 1e6).toFixed(1)} million`;
}

/** The story of one company across outlets, and what its claims should become. */
function story(name: string, i: number, exp: Expectation): Article[] {
  const slug = name.toLowerCase();
  const v21 = (8 + i * 3) * 1e9; // valuation in June 2021
  const v22a = (2 + i) * 1e9 + 1e8; // one outlet's 2022 valuation
  const v22b = v22a + 1.3e9; // another outlet's, far beyond rounding
  const raise = (150 + i * 25) * 1e6;
  const q4 = (120 + i * 10) * 1e6;
  const fy = q4 * 4 - 20e6;
  const loss = 58.7e6 + i * 10e6; // "nearly" the next ten million: $58.7m is "nearly $60 million"
  const lossRounded = Math.ceil(loss / 10e6) * 10e6;
  const priceA = 40 + i;
  const priceB = priceA - 2;
  const planned = (500 + i * 50) * 1e6;
  const proceeds = planned + 120e6;
  const cutA = 210 + i * 10;
  const cutB = cutA + 50;
  const day = 10 + i * 3;
  const claim = (key: string, kind: string, value: number, outlets: string[]): Claim => ({ key, company: slug, kind, value, outlets });

  exp.agree.push(claim('valuation-2021', 'valuation', v21, ['harbour', 'ledgerline']));
  exp.agree.push(claim('net-loss-2024', 'net_income', -loss, ['harbour', 'ledgerline']));
  exp.conflicts.push([claim('valuation-2022-low', 'valuation', v22a, ['vaultwatch']), claim('valuation-2022-high', 'valuation', v22b, ['ticker'])]);
  exp.conflicts.push([claim('raise-2023', 'funding', raise, ['harbour']), claim('raise-2024', 'funding', raise, ['ledgerline'])]);
  exp.conflicts.push([claim('ipo-price-a', 'ipo', priceA, ['harbour']), claim('ipo-price-b', 'ipo', priceB, ['ledgerline'])]);
  exp.conflicts.push([claim('cut-a', 'workforce_change', cutA, ['harbour']), claim('cut-b', 'workforce_change', cutB, ['ledgerline'])]);
  exp.undisputed.push(claim('revenue-q4', 'revenue', q4, ['harbour']), claim('revenue-fy', 'revenue', fy, ['ledgerline']));
  exp.undisputed.push(claim('ipo-planned', 'funding', planned, ['vaultwatch']), claim('ipo-proceeds', 'funding', proceeds, ['ticker']));

  const f = (outlet: string, k: number) => FILLER[outlet]![k % 3]!;
  return [
    {
      outlet: 'harbour', slug: `${slug}-listing-and-cuts`, author: 'Mira Olsen', published: `2025-06-${day}T08:00:00Z`,
      title: `${name} lists in New York after a year of cuts`,
      paragraphs: [
        `${name} priced its initial public offering at $${priceA} a share on March 14, 2025, ending months of speculation.`,
        `${name} was valued at ${money(v21)} in June 2021, at the height of the boom. ${f('harbour', 0)}`,
        `${name} raised ${money(raise)} from investors in 2023. ${f('harbour', 1)}`,
        `${name} reported revenue of ${money(q4)} for the fourth quarter of 2024. ${name} posted a net loss of ${money(loss)} for 2024.`,
        `${name} cut ${cutA} jobs in May 2025. ${f('harbour', 2)}`,
      ],
    },
    {
      outlet: 'ledgerline', slug: `${slug}-after-the-float`, author: 'Tomas Reyes', published: `2025-06-${day + 1}T09:30:00Z`,
      title: `What ${name}'s float tells us about the market`,
      paragraphs: [
        `${name}'s listing was priced at $${priceB} a share in March 2025. ${f('ledgerline', 0)}`,
        `In 2021, ${name} was valued at about ${money(v21)}. ${f('ledgerline', 1)}`,
        `${name} raised ${money(raise)} in 2024, according to the company.`,
        `${name}'s revenue for 2024 was ${money(fy)}. ${name} lost nearly ${money(lossRounded)} in 2024.`,
        `${name} laid off ${cutB} employees in May 2025. ${f('ledgerline', 2)}`,
      ],
    },
    {
      outlet: 'vaultwatch', slug: `${slug}-valuation-reset`, author: 'Ines Kato', published: `2025-02-${day}T12:00:00Z`,
      title: `${name} plans a listing after its valuation reset`,
      paragraphs: [
        `${name} was valued at ${money(v22a)} in a funding round in 2022. ${f('vaultwatch', 0)}`,
        `${name} plans to raise ${money(planned)} in its initial public offering. ${f('vaultwatch', 1)}`,
        f('vaultwatch', 2),
      ],
    },
    {
      outlet: 'ticker', slug: `${slug}-first-day`, author: 'Ola Brandt', published: `2025-06-${day + 2}T15:00:00Z`,
      title: `${name} shares open higher on debut`,
      paragraphs: [
        `${name}'s valuation fell to ${money(v22b)} in 2022. ${f('ticker', 0)}`,
        `${name}'s initial public offering raised ${money(proceeds)}. ${f('ticker', 1)}`,
        f('ticker', 2),
      ],
    },
  ];
}

function page(a: Article, outletName: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>${esc(a.title)} – ${esc(outletName)}</title>
<meta property="og:site_name" content="${esc(outletName)}">
<meta property="article:published_time" content="${a.published}">
<meta name="author" content="${esc(a.author)}">
<link rel="canonical" href="{{ORIGIN}}/${a.outlet}/${a.slug}.html">
</head><body>
<header><a href="/${a.outlet}/">${esc(outletName)}</a> <nav><a href="/${a.outlet}/markets/">Markets</a> <a href="/${a.outlet}/newsletter/">Newsletter</a></nav></header>
<main><article>
<h1>${esc(a.title)}</h1>
<p class="byline">By ${esc(a.author)} · <time datetime="${a.published}">${a.published.slice(0, 10)}</time></p>
${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</article></main>
<footer><p>Sign up for our newsletter.</p></footer>
</body></html>
`;
}

function feed(outlet: { slug: string; name: string }, items: Article[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>${esc(outlet.name)}</title><link>{{ORIGIN}}/${outlet.slug}/</link><description>${esc(outlet.name)}</description>
${items
  .map(
    (a) => `<item><title>${esc(a.title)}</title><link>{{ORIGIN}}/${a.outlet}/${a.slug}.html</link><guid isPermaLink="false">${a.outlet}-${a.slug}</guid>
<pubDate>${new Date(a.published).toUTCString()}</pubDate><dc:creator>${esc(a.author)}</dc:creator></item>`,
  )
  .join('\n')}
</channel></rss>
`;
}

/** Writes the corpus under `root` (served by startSampleServer({ root })). */
export function writeStoryCorpus(root: string, companies = COMPANIES.length): StoryCorpus {
  const exp: Expectation = { agree: [], conflicts: [], undisputed: [] };
  const names = COMPANIES.slice(0, companies);
  const articles = names.flatMap((n, i) => story(n, i, exp));
  // The syndicate reprints Harbour's pieces a day later, word for word under its own masthead.
  const copies = articles
    .filter((a) => a.outlet === 'harbour')
    .map((a) => ({ ...a, outlet: 'wirefeed', slug: `syndicated-${a.slug}`, published: new Date(Date.parse(a.published) + 86_400_000).toISOString().replace('.000', ''), paragraphs: [...a.paragraphs, 'This story first appeared in Harbour Finance Post.'] }));
  const all = [...articles, ...copies];
  for (const o of OUTLETS) {
    mkdirSync(path.join(root, o.slug), { recursive: true });
    const mine = all.filter((a) => a.outlet === o.slug);
    writeFileSync(path.join(root, o.slug, 'feed.xml'), feed(o, mine));
    for (const a of mine) writeFileSync(path.join(root, o.slug, `${a.slug}.html`), page(a, o.name));
  }
  writeFileSync(
    path.join(root, 'stories.opml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Generated outlets</title></head><body>
${OUTLETS.map((o) => `<outline type="rss" text="${o.name}" xmlUrl="{{ORIGIN}}/${o.slug}/feed.xml"/>`).join('\n')}
</body></opml>
`,
  );
  return {
    root,
    companies: names.map((n) => ({ name: n, slug: n.toLowerCase() })),
    outlets: OUTLETS.map((o) => ({ ...o })),
    copier: { slug: 'wirefeed', copies: 'harbour' },
    expect: exp,
    articleCount: all.length,
  };
}
