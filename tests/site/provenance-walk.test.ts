/**
 * Provenance by construction, checked on the built sample site (tests/helpers/provenance-walk.ts):
 * every evidence link lands on its anchor, and every sentence shown beside one is the linked article's
 * own. A fact merged from several articles must never show one source's sentence under another's link.
 * The generated multi-outlet corpus gets the same walk in corpus-walk.test.ts.
 */
import { expect, inject, it } from 'vitest';
import { walkProvenance } from '../helpers/provenance-walk.ts';

const site = inject('site');

it('every evidence link lands on its anchor, and every sentence shown (timeline, RSS) is the linked article’s own', () => {
  const { links, sentences, problems } = walkProvenance(site.distDir);
  expect(problems).toEqual([]);
  // The walk saw the site: the sample yields well over a hundred facts on the timeline.
  expect(links).toBeGreaterThan(100);
  expect(sentences).toBeGreaterThan(50);
});
