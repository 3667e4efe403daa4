import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../../scrapers/feeds/parse.ts';
import { fixture } from './helpers.ts';

describe('JSON Feed 1.1', async () => {
  const feed = await parseFeed(fixture('jsonfeed11.json'), 'https://obbrief.example/feed.json');
  const [plaid, truelayer, fileLink] = feed.items;

  it('reads feed metadata', () => {
    expect(feed).toMatchObject({
      format: 'json',
      title: 'Open Banking Brief',
      siteUrl: 'https://obbrief.example/',
      description: 'Short takes on open banking',
      language: 'en-GB',
      ttlMinutes: null,
    });
  });

  it('maps item fields, resolving a relative url and stripping script from the text', () => {
    expect(plaid).toEqual({
      guid: 'https://obbrief.example/posts/plaid-uk',
      url: 'https://obbrief.example/posts/plaid-uk',
      title: 'Plaid expands in the UK',
      author: 'Priya Patel',
      publishedAt: '2025-08-10T08:00:00.000Z',
      updatedAt: '2025-08-10T12:00:00.000Z',
      contentHtml: '<p>Plaid signed <strong>three</strong> banks.</p><script>evil()</script>',
      contentText: 'Plaid signed three banks.',
      summary: 'Plaid signed three banks.',
      categories: ['open banking', 'Plaid'],
    });
  });

  it('accepts a numeric id, uses external_url without url, inherits the feed author', () => {
    expect(truelayer).toMatchObject({ guid: '42', url: 'https://news.example/truelayer', author: 'OB Brief Team', contentHtml: null });
    expect(truelayer!.contentText).toBe('TrueLayer partnered\n\nwith a bank.');
    expect(truelayer!.publishedAt).toBeNull();
  });

  it('drops a non-object item and a file: URL, with warnings', () => {
    expect(feed.items).toHaveLength(3);
    expect(fileLink).toMatchObject({ guid: 'no-link', url: null, title: null });
    expect(feed.warnings).toEqual([
      'item 3: dropped, not a JSON Feed item object',
      'item 4: ignored link "file:///etc/passwd" (not an http(s) URL)',
      'item 2 ("42"): unparseable or implausible publication date "not a date", set to null',
    ]);
  });

  it('accepts JSON Feed 1.0 with a single author object', async () => {
    const f = await parseFeed(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1', title: 'Old', author: { name: 'Ann' }, items: [{ id: '1', content_text: 'x' }] }),
      'https://old.example/feed.json',
    );
    expect(f.items[0]).toMatchObject({ guid: '1', author: 'Ann', contentText: 'x' });
  });

  it('rejects JSON that is not a JSON Feed, and broken JSON', async () => {
    await expect(parseFeed('{"version": "https://jsonfeed.org/version/1.1", "title": "no items"}', 'https://x.example/f.json')).rejects.toThrow(
      /^feed: not a JSON Feed/,
    );
    await expect(parseFeed('{"version": "https://jsonfeed.org/version/1.1", "items": [', 'https://x.example/f.json')).rejects.toThrow(FeedParseError);
    await expect(parseFeed('{"version": "2.0", "items": []}', 'https://x.example/f.json')).rejects.toThrow(/^feed: not a feed/);
  });
});
