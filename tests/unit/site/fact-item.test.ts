/**
 * A timeline entry as the year pages and /timeline/ write it (src/lib/site/fact-item.ts): what a reader
 * sees of each field, read back through an HTML parser, with the text an outlet or a hand could put in
 * a record — markup, quotes, ampersands — shown as text and never as markup.
 */
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { factItemHtml, factItemsHtml } from '../../../src/lib/site/fact-item.ts';
import type { TimelineRecord } from '../../../src/lib/site/search-shards.ts';

const base: TimelineRecord = {
  i: 'f1a2',
  c: 'klarna',
  k: 'valuation',
  o: '2022',
  d: '2022-12-31',
  v: 'USD 6.7 billion',
  t: 'Klarna was valued at $6.7 billion in July 2022.',
  q: null,
  p: null,
  a: 12,
  h: 'Klarna & the <down round>',
  u: 'The Ledger',
  w: '2023-02-01',
};

const parse = (html: string) => cheerio.load(`<ol>${html}</ol>`);

describe('a timeline entry', () => {
  it('shows the period, company, kind, value, sentence, badge and its source', () => {
    const $ = parse(factItemHtml({ ...base, n: 2, x: 1, b: 'c' }, 'Klarna "Group" & Co'));
    const li = $('li.fact');
    expect(li.attr('data-fact-id')).toBe('f1a2');
    expect(li.find('.when time').attr('datetime')).toBe('2022-12-31');
    expect(li.find('.when time').text()).toBe('2022');
    expect(li.find('.when a').attr('href')).toBe('/companies/klarna/');
    expect(li.find('.when a').text()).toBe('Klarna "Group" & Co');
    expect(li.find('.kind').text()).toBe('valuation');
    expect(li.find('.what strong').text()).toBe('USD 6.7 billion');
    expect(li.find('.statement').text()).toBe(base.t);
    expect(li.find('.badge').attr('data-corroboration')).toBe('corroborated');
    expect(li.find('.badge').hasClass('badge-corroborated')).toBe(true);
    expect(li.find('.sources').text()).toBe('3 sources, 2 independent');
    expect(li.find('.src a').attr('href')).toBe('/articles/12/#fact-f1a2');
    expect(li.find('.src .muted').text()).toBe('in Klarna & the <down round>, 1 Feb 2023');
    expect(li.find('.when').text()).toBe('2022 · Klarna "Group" & Co · valuation');
  });

  it('keeps markup in any field as text', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">\'';
    const $ = parse(factItemHtml({ ...base, t: hostile, v: hostile, h: hostile }, hostile));
    expect($('script, img').length).toBe(0);
    expect($('.statement').text()).toBe(hostile);
    expect($('.what strong').text()).toBe(hostile);
    expect($('.when a').text()).toBe(hostile);
    expect($('.src .muted').text()).toBe(`in ${hostile}, 1 Feb 2023`);
  });

  it('shows a quote with its speaker, and "unnamed" without one', () => {
    const quote = { ...base, k: 'quote', v: null, q: 'We are "profitable" & growing', p: 'Sebastian Siemiatkowski' };
    let $ = parse(factItemHtml(quote, 'Klarna'));
    expect($('.what q').text()).toBe('We are "profitable" & growing');
    expect($('.what .speaker').text()).toBe('Sebastian Siemiatkowski');
    expect($('.what strong').length).toBe(0);
    $ = parse(factItemHtml({ ...quote, p: null }, 'Klarna'));
    expect($('.what .speaker').text()).toBe('unnamed');
  });

  it('says so when its articles were revised since, with no evidence link', () => {
    const $ = parse(factItemHtml({ ...base, a: null, h: null, u: null, w: null }, 'Klarna'));
    expect($('.src a').length).toBe(0);
    expect($('.src .muted').text()).toBe('its articles have been revised since; the fact sheet lists its sources');
    expect($('.badge').text()).toBe('single source');
  });

  it('flags a period that had not ended when it was reported', () => {
    const $ = parse(factItemHtml({ ...base, k: 'revenue', o: '2026', d: '2025-03-01', w: '2025-03-01' }, 'Klarna'));
    expect($('.ahead').text()).toBe('plan or forecast, reported 1 Mar 2025');
  });

  it('lists entries in order, each with its company name', () => {
    const $ = parse(factItemsHtml([base, { ...base, i: 'f2', c: 'monzo' }], (c) => c.toUpperCase()));
    expect($('li.fact').map((_, e) => $(e).attr('data-fact-id')).get()).toEqual(['f1a2', 'f2']);
    expect($('li.fact .when a').map((_, e) => $(e).text()).get()).toEqual(['KLARNA', 'MONZO']);
  });
});
