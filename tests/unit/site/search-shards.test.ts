import lunr from 'lunr';
import { describe, expect, it } from 'vitest';
import {
  buildIndexInMemory,
  buildShard,
  buildShardWithLunr,
  candidateShards,
  groupShards,
  loadIndex,
  planQuery,
  routeQuery,
  routerPrefixes,
  searchShard,
  serializeIndex,
  shardFile,
  type Filters,
  type Manifest,
  type RouterFile,
  type Shard,
  type TimelineRecord,
} from '../../../src/lib/site/search-shards.ts';
import { isConcept } from '../../../src/lib/site/search-vocabulary.ts';

let seq = 0;
function rec(over: Partial<TimelineRecord>): TimelineRecord {
  seq++;
  return {
    i: `f${String(seq).padStart(3, '0')}`,
    c: 'klarna',
    k: 'revenue',
    o: null,
    d: '2025-03-31',
    v: 'USD 1 million',
    t: 'Revenue rose.',
    q: null,
    p: null,
    a: 1,
    h: 'Quarterly results',
    u: 'The Ledger',
    w: '2025-05-01',
    ...over,
  };
}

const RECORDS: TimelineRecord[] = [
  rec({ c: 'klarna', k: 'quote', d: '2025-05-20', t: 'Rachel Ambrose said the listing is on hold.', q: 'We are not in a hurry to list', p: 'Rachel Ambrose', h: 'Klarna pauses IPO plans' }),
  rec({ c: 'klarna', k: 'revenue', o: '2025-Q1', d: '2025-03-31', t: 'Klarna revenue grew 13% to $701 million in the first quarter.', h: 'Klarna results' }),
  rec({ c: 'klarna', k: 'net_income', o: '2024', d: '2024-12-31', t: 'Klarna swung to a net loss of $99 million.', h: 'Klarna results' }),
  rec({ c: 'klarna', k: 'ipo', o: '2021', d: '2021-12-31', t: 'Klarna planned an IPO in New York.', h: 'Klarna eyes listing' }),
  rec({ c: 'affirm', k: 'revenue', o: '2025-Q1', d: '2025-03-31', t: 'Affirm revenue climbed to $783 million.', h: 'Affirm beats forecasts' }),
  rec({ c: 'affirm', k: 'quote', d: '2025-02-10', t: 'Max Levchin said credit quality held up.', q: 'Our credit performance is strong', p: 'Max Levchin', h: 'Affirm beats forecasts' }),
  rec({ c: 'affirm', k: 'headcount', o: '2024', d: '2024-12-31', t: 'Affirm employed about 2,000 people.', h: 'Affirm staff' }),
  rec({ c: 'stripe', k: 'valuation', o: '2025-02', d: '2025-02-28', t: 'Stripe was valued at $91.5 billion in a tender offer.', h: 'Stripe tender offer' }),
];
const NAMES = new Map([
  ['klarna', 'Klarna'],
  ['affirm', 'Affirm'],
  ['stripe', 'Stripe'],
]);

const ids = (rs: TimelineRecord[]) => rs.map((r) => r.i).sort();

/** The whole index over the test records, with every file parsed as the browser would. */
function built() {
  const b = buildIndexInMemory(RECORDS, NAMES, ['headcount', 'ipo', 'net_income', 'quote', 'revenue', 'valuation']);
  const shards = new Map([...b.shards].map(([f, json]) => [f, JSON.parse(json) as Shard]));
  const manifest = JSON.parse(JSON.stringify(b.manifest)) as Manifest;
  return { ...b, manifest, parsed: shards };
}

/** What the island does: route, pick candidate shards, search each. */
function islandSearch(q: string, filters: Filters = {}): TimelineRecord[] {
  const { manifest, router, parsed } = built();
  const plan = planQuery(q);
  const files = new Map<string, RouterFile>();
  for (const p of routerPrefixes(plan)) {
    const f = router.get(p);
    if (f) files.set(p, f);
  }
  const routed = plan.clauses.length ? routeQuery(plan, files) : null;
  const out: TimelineRecord[] = [];
  for (const n of candidateShards(manifest, filters, routed)) {
    const [c, year] = manifest.shards[n]!;
    out.push(...searchShard(parsed.get(shardFile(manifest.companies[c]![0], year))!, plan, filters).records);
  }
  return out;
}

/** The same search without shards or router: every record in one shard. */
function bruteForce(q: string, filters: Filters = {}): TimelineRecord[] {
  return searchShard(buildShard(RECORDS), q, filters).records;
}

describe('compact index serialisation', () => {
  it('answers every query exactly like the lunr index it was made from, at a fraction of the size', () => {
    const index = lunr(function (this: lunr.Builder) {
      this.ref('n');
      for (const f of ['t', 'q', 'p', 'h']) this.field(f);
      RECORDS.forEach((r, n) => this.add({ n: String(n), t: r.t, q: r.q ?? '', p: r.p ?? '', h: r.h ?? '' }));
    });
    const compact = serializeIndex(index, RECORDS.length);
    const loaded = loadIndex(JSON.parse(JSON.stringify(compact)));
    for (const q of ['klarna', 'revenue', 'ambros', 'ipo', 'klar*', 'p:rachel', '+klarna -ipo', 'levchin~1', 'nothing']) {
      const want = index.search(q).map((h) => h.ref).sort();
      expect(loaded.search(q).map((h) => h.ref).sort(), q).toEqual(want);
    }
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(index.toJSON()).length / 2);
  });
});

describe('compact index without the lunr builder', () => {
  it('is exactly the index lunr builds and serializeIndex reads back, vocabulary concepts included', () => {
    // Words the vocabulary maps to concepts ("laid off", "job cuts"), stop words, stems, a company name
    // in another field, an empty field: every step of the pipeline shows up in the terms.
    const extra = [
      rec({ c: 'acme', k: 'workforce_change', v: 'layoffs: 210 people', t: 'Acme laid off 210 staff; the job cuts hit 12% of its workforce.', h: 'Acme cuts jobs' }),
      rec({ c: 'acme', k: 'quote', q: 'It was the hardest day of my career', p: 'Jo Smith', t: '"It was the hardest day," said Jo Smith.', h: '' }),
    ];
    const all = [...RECORDS, ...extra];
    const names = new Map([...NAMES, ['acme', 'Acme Bank']]);
    const fast = buildShard(all, names);
    const slow = buildShardWithLunr(all, names);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    expect(fast.index.t.some(isConcept)).toBe(true);
  });
});

describe('shards', () => {
  it('groups by company and the year of the shown date, newest year first', () => {
    const groups = groupShards(RECORDS);
    // within a year, the shard with the newest fact comes first
    expect(groups.map((g) => `${g.slug}.${g.year}`)).toEqual(['klarna.2025', 'affirm.2025', 'stripe.2025', 'affirm.2024', 'klarna.2024', 'klarna.2021']);
    // an undated quote is shown (and sharded) by its article's date
    expect(groups[0]!.records.map((r) => r.d)).toEqual(['2025-05-20', '2025-03-31']);
  });

  it('lists every shard with its size in the manifest, and routes each term to the shards that hold it', () => {
    const { manifest, shards, router } = built();
    expect(manifest.companies).toEqual([
      ['affirm', 'Affirm'],
      ['klarna', 'Klarna'],
      ['stripe', 'Stripe'],
    ]);
    expect(manifest.shards).toHaveLength(6);
    for (const [c, year, count, bytes] of manifest.shards) {
      const json = shards.get(shardFile(manifest.companies[c]![0], year))!;
      expect(Buffer.byteLength(json)).toBe(bytes);
      expect((JSON.parse(json) as Shard).records).toHaveLength(count);
    }
    expect(manifest.prefixes).toEqual([...router.keys()]);
    const klarnaShards = manifest.shards.map(([c], n) => [manifest.companies[c]![0], n] as const).filter(([s]) => s === 'klarna').map(([, n]) => n);
    expect(routeQuery(planQuery('klarna'), router)).toEqual(new Set(klarnaShards));
  });
});

describe('queries', () => {
  it('requires every word, drops stop words, and searches statements, quotes, speakers and titles', () => {
    const rows = bruteForce('Ambrose');
    expect(rows.map((r) => r.p)).toEqual(['Rachel Ambrose']);
    expect(ids(bruteForce('klarna revenue'))).toEqual(ids(RECORDS.filter((r) => r.c === 'klarna' && r.k === 'revenue')));
    expect(bruteForce('the klarna revenue of')).toHaveLength(1);
    expect(bruteForce('hurry')).toHaveLength(1); // only in a quote
    expect(ids(bruteForce('forecasts'))).toHaveLength(2); // only in article titles
    expect(bruteForce('speaker:levchin').map((r) => r.p)).toEqual(['Max Levchin']);
    expect(bruteForce('title:levchin')).toEqual([]);
    expect(ids(bruteForce('klarna -ipo'))).not.toContain(RECORDS[3]!.i);
    expect(bruteForce('stri*').map((r) => r.c)).toEqual(['stripe']);
  });

  it('turns invalid syntax into a search for its words and says so, instead of throwing', () => {
    expect(() => planQuery(':')).not.toThrow();
    expect(planQuery(':')).toEqual({ clauses: [], relaxed: true });
    const r = searchShard(buildShard(RECORDS), 'klarna:');
    expect(r.relaxed).toBe(true);
    expect(r.records.every((x) => x.c === 'klarna')).toBe(true);
    expect(planQuery('klarna').relaxed).toBe(false);
  });

  it('filters by company, kind and inclusive date range', () => {
    expect(ids(bruteForce('', { kind: 'quote' }))).toEqual(ids(RECORDS.filter((r) => r.k === 'quote')));
    expect(ids(bruteForce('revenue', { company: 'affirm' }))).toEqual([RECORDS[4]!.i]);
    expect(bruteForce('', { from: '2024-12-31', to: '2025-02-28' }).map((r) => r.d).sort()).toEqual(['2024-12-31', '2024-12-31', '2025-02-10', '2025-02-28']);
  });
});

describe('routing', () => {
  it('finds through shards and router exactly what one big index finds', () => {
    const cases: [string, Filters][] = [
      ['klarna', {}],
      ['revenue', {}],
      ['klarna revenue', {}],
      ['ambrose', { kind: 'quote' }],
      ['klar*', {}],
      ['k*', {}], // too short to route: every shard is searched
      ['levchin~1', {}],
      ['revenue -affirm', {}],
      ['million', { from: '2025-01-01' }],
      ['', { company: 'klarna', to: '2024-12-31' }],
      ['nothing here', {}],
      ['ipo klarna:', {}],
      ['title:ipo', {}],
    ];
    for (const [q, f] of cases) expect(ids(islandSearch(q, f)), `${q} ${JSON.stringify(f)}`).toEqual(ids(bruteForce(q, f)));
  });

  it('fetches only the shards that hold every routable word', () => {
    const { manifest, router } = built();
    const plan = planQuery('levchin credit');
    const routed = routeQuery(plan, router)!;
    expect([...routed].map((n) => manifest.companies[manifest.shards[n]![0]]![0])).toEqual(['affirm']);
    expect(routeQuery(planQuery('k*'), router)).toBeNull();
    expect(routeQuery(planQuery('-klarna'), router)).toBeNull();
    expect(routeQuery(planQuery('zzzz'), router)).toEqual(new Set());
  });

  it('skips shards outside the company and years asked for', () => {
    const { manifest } = built();
    const name = (n: number) => `${manifest.companies[manifest.shards[n]![0]]![0]}.${manifest.shards[n]![1]}`;
    expect(candidateShards(manifest, { company: 'klarna', from: '2022-01-01' }, null).map(name)).toEqual(['klarna.2025', 'klarna.2024']);
    expect(candidateShards(manifest, { to: '2024-06-30' }, null).map(name)).toEqual(['affirm.2024', 'klarna.2024', 'klarna.2021']);
    expect(candidateShards(manifest, { company: 'nobody' }, null)).toEqual([]);
  });
});
