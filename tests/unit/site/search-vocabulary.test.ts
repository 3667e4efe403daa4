/**
 * The timeline's vocabulary: reporters' words for one thing meet at index and query time, words that
 * only look alike do not. Every search goes through a shard built and serialised as the build writes
 * it, and parsed back as the browser reads it.
 */
import { describe, expect, it } from 'vitest';
import { buildShard, planQuery, searchShard, type Shard, type TimelineRecord } from '../../../src/lib/site/search-shards.ts';
import { CONCEPT_TERMS, matchConcepts } from '../../../src/lib/site/search-vocabulary.ts';

let seq = 0;
function rec(t: string, over: Partial<TimelineRecord> = {}): TimelineRecord {
  seq++;
  return { i: `v${seq}`, c: 'acme', k: 'metric', o: null, d: '2025-01-01', v: null, t, q: null, p: null, a: 1, h: null, u: null, w: '2025-01-01', ...over };
}

const R = {
  layoffsWord: rec('Acme announced layoffs in Berlin.'),
  laidOff: rec('Acme laid off 120 engineers.'),
  jobCuts: rec('The job cuts hit the sales team.'),
  redundancies: rec('Acme confirmed 80 redundancies.'),
  cutJobs: rec('Acme is to cut 210 jobs, or about 24% of its workforce.'),
  cutStaff: rec('Acme will cut around 10% of its staff.'),
  labelled: rec('Acme will reduce its team by 300.', { k: 'workforce_change', v: 'layoffs: 300 people' }),
  laidGroundwork: rec('Acme laid the groundwork for a bank.'),
  layer: rec('A new layer of compliance rules.'),
  cutCosts: rec('Acme cut costs sharply.'),
  hiring: rec('Acme plans to hire 100 engineers.', { k: 'workforce_change', v: 'hiring: 100 people' }),
  valued: rec('Acme was valued at $2 billion.'),
  valuation: rec('Its valuation fell to $1 billion.', { k: 'valuation' }),
  value: rec('The value of payments processed rose.'),
  ipo: rec('Acme filed for an IPO in New York.'),
  listing: rec('The listing is planned for the spring.'),
  float: rec('Acme could float in London.'),
  wentPublic: rec('Acme went public in 2021.'),
  netLoss: rec('Acme swung to a net loss of $99 million.'),
  profit: rec('Acme made its first profit.'),
  loss: rec('Credit losses rose to $136 million.', { k: 'credit_losses' }),
  sales: rec('Sales grew 20% in the quarter.'),
  revenueKind: rec('It took in $412 million.', { k: 'revenue' }),
  employees: rec('Acme has 310 employees.'),
  headcountKind: rec('About 3,000 work there now.', { k: 'headcount' }),
  raised: rec('Acme raised $85 million from investors.'),
  round: rec('The round was led by Sequoia.'),
  headlineOnly: rec('Acme was worth about $1 billion.', { h: 'Acme to cut 200 jobs' }),
};
const ALL = Object.values(R);
// Built as the build writes it and read back from JSON as the browser does: no function survives JSON,
// so this proves the browser needs nothing but the shard file and planQuery.
const shard = JSON.parse(JSON.stringify(buildShard(ALL, new Map([['acme', 'Acme Bank']])))) as Shard;
const find = (q: string) => new Set(searchShard(shard, q).records.map((r) => r.i));
const idsOf = (...rs: TimelineRecord[]) => new Set(rs.map((r) => r.i));

describe('layoffs', () => {
  const LAYOFFS = idsOf(R.layoffsWord, R.laidOff, R.jobCuts, R.redundancies, R.cutJobs, R.cutStaff, R.labelled);
  it('layoffs, laid off, job cuts, redundancies and cut jobs find the same facts: every way the text says it', () => {
    for (const q of ['layoffs', 'layoff', 'laid off', 'lay off', 'job cuts', 'redundancies', 'redundancy', 'cut jobs', 'Laid-off', 'LAYOFFS']) expect(find(q), q).toEqual(LAYOFFS);
  });
  it('words that only share letters or one word of a phrase do not meet', () => {
    expect(find('laid')).toEqual(idsOf(R.laidOff, R.laidGroundwork)); // the word itself, not layoffs, not "layer"
    expect(find('layer')).toEqual(idsOf(R.layer));
    expect(find('layoffs').has(R.laidGroundwork.i)).toBe(false);
    expect(find('layoffs').has(R.cutCosts.i)).toBe(false);
    expect(find('layoffs').has(R.hiring.i)).toBe(false);
    expect(find('layoffs').has(R.layer.i)).toBe(false);
    // a headline about job cuts does not make every fact of its article a layoff; title: finds the words
    expect(find('layoffs').has(R.headlineOnly.i)).toBe(false);
    expect(find('title:jobs')).toEqual(idsOf(R.headlineOnly));
  });
  it('excluding layoffs excludes every form, and a phrase split by an operator is not the phrase', () => {
    const rest = find('acme -layoffs');
    for (const id of LAYOFFS) expect(rest.has(id)).toBe(false);
    expect(rest.has(R.laidGroundwork.i)).toBe(true);
    expect(planQuery('laid -off').clauses.map((c) => c.term)).toEqual(['laid']); // "off" is a stop word
  });
});

describe('the rest of the vocabulary', () => {
  it('valuation ~ valued, but not "value"', () => {
    expect(find('valued')).toEqual(idsOf(R.valued, R.valuation));
    expect(find('valuation')).toEqual(idsOf(R.valued, R.valuation));
    expect(find('valuation').has(R.value.i)).toBe(false);
  });
  it('IPO ~ listing ~ float ~ went public', () => {
    const IPO = idsOf(R.ipo, R.listing, R.float, R.wentPublic);
    for (const q of ['ipo', 'listing', 'float', 'went public', 'go public']) expect(find(q), q).toEqual(IPO);
  });
  it('net loss ~ net income ~ profit, but not credit losses', () => {
    const NET = idsOf(R.netLoss, R.profit);
    for (const q of ['net loss', 'net income', 'profit']) expect(find(q), q).toEqual(NET);
    expect(find('net loss').has(R.loss.i)).toBe(false);
  });
  it('revenue ~ sales (and the kind revenue); headcount ~ employees ~ staff; funding ~ raised ~ round', () => {
    expect(find('revenue')).toEqual(idsOf(R.sales, R.revenueKind, R.jobCuts)); // "the sales team": sales is sales
    expect(find('sales')).toEqual(find('revenue'));
    const STAFF = find('headcount');
    for (const id of idsOf(R.employees, R.headcountKind, R.cutStaff, R.cutJobs)) expect(STAFF.has(id)).toBe(true);
    expect(find('employees')).toEqual(STAFF);
    expect(find('staff')).toEqual(STAFF);
    expect(find('funding')).toEqual(idsOf(R.raised, R.round));
    expect(find('raised')).toEqual(find('funding'));
  });
  it('a field restriction applies to the concept: label:layoffs is the labelled fact only', () => {
    expect(find('label:layoffs')).toEqual(idsOf(R.labelled));
    expect(find('company:acme')).toEqual(idsOf(...ALL)); // the company name is indexed
  });
});

describe('the vocabulary itself', () => {
  it('gives every word to one concept only, so a query word has one meaning', () => {
    const seen = new Map<string, string>();
    for (const w of ['layoffs', 'redundancies', 'valued', 'valuation', 'ipo', 'listing', 'float', 'profit', 'revenue', 'sales', 'headcount', 'employees', 'staff', 'funding', 'raised', 'round']) {
      const m = matchConcepts([w]);
      expect(m, w).toHaveLength(1);
      seen.set(w, m[0]!.concept);
    }
    expect(new Set(seen.values())).toEqual(new Set(CONCEPT_TERMS));
  });
  it('matches a verb and its object a few words apart, not across a sentence', () => {
    expect(matchConcepts('cut 20 of its workforce'.split(' ')).map((m) => m.concept)).toContain('=layoff');
    expect(matchConcepts('cut costs in the first half of the year and then added more staff'.split(' ')).map((m) => m.concept)).not.toContain('=layoff');
  });
});
