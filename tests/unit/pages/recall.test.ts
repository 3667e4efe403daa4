/**
 * Main-text recall on pages unlike the benchmark (issue 14): one hand-written fixture per class of
 * miss, each in generic markup, plus the rules behind them at unit level.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractArticle, extractMainText } from '../../../scrapers/pages/index.ts';
import { boilerplateKind } from '../../../scrapers/pages/clean.ts';
import { normalizeShell, type Block } from '../../../scrapers/pages/html.ts';
import { postClean } from '../../../scrapers/pages/text.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');
const extract = (name: string): string => extractMainText(readFileSync(path.join(fixtures, name), 'utf8'), 'https://site.example/a');

function expectInOrder(text: string, needles: string[]): void {
  let pos = -1;
  for (const n of needles) {
    const i = text.indexOf(n, pos + 1);
    expect(i, `"${n}" missing or out of order in:\n${text}`).toBeGreaterThan(pos);
    pos = i;
  }
}

describe('an article split across sibling blocks (page builders, columns)', () => {
  const text = extract('page-builder.html');
  it('keeps every text block of every section and column, in order, with the subheading', () => {
    expectInOrder(text, [
      'When the regional lender Brightwater Credit lost a third',
      'She started by reading every rejected application',
      'A slower, human review',
      'Instead of a single automated score',
      'The change added two days to the average decision',
      'Brightwater also stopped selling its loans',
      'By the end of the eighteen months',
    ]);
  });
  it.each(['Recent posts', 'Why credit unions are hiring', '© Harbour Notes', 'About'])('leaves out %s', (needle) => {
    expect(text).not.toContain(needle);
  });
});

describe('pre-cleaning keeps text that looks like furniture by its class names', () => {
  const text = extract('cleaning-traps.html');
  it('keeps the lead in the article header and every paragraph behind a visibility/layout class', () => {
    expectInOrder(text, [
      'Merchants taking fewer than ten thousand card payments', // teaser-text lead in <header>
      'The issuer said the new rate would apply automatically',
      "Shopkeepers' associations had argued", // hidden-xs
      'The trade body for independent grocers', // noprint
      'Analysts estimated that the change', // no-share
      "The company's chief financial officer", // cmp-text
      'In the first test region', // slideshow
      'Photo stories on this site put their text under the pictures', // caption-named, but paragraphs
      'A second owner, who runs a newsagent',
      'Regulators, who had been reviewing fees', // …--ads modifier
    ]);
  });
  it.each(['Share on social media', 'Advertisement', 'Hidden promotional text', 'A corner shop in the first test region', 'Independent reporting on payments', 'By Tomasz Weller', 'Most read', 'Bank strike'])(
    'still drops %s',
    (needle) => {
      expect(text).not.toContain(needle);
    },
  );
});

describe('a forum thread whose posts are comment-named', () => {
  const text = extract('forum-thread.html');
  it('keeps the opening post and the replies, in order', () => {
    expectInOrder(text, ['We are about to move our bakery', 'Has anyone done this recently', 'It took us eleven working days', 'Watch out for annual payments']);
  });
  it('drops the reply form and user names', () => {
    expect(text).not.toContain('You must be logged in');
    expect(text).not.toContain('millie_r');
  });
});

describe('the core finder picks a sidebar list and cleaning removes the real wrapper', () => {
  const text = extract('sidebar-core.html');
  it('falls back to the prose instead of returning nothing', () => {
    expectInOrder(text, ["The country's second-largest pension fund", "The fund's trustees said", "Critics on the fund's members' panel"]);
    expect(text).not.toContain('Why a pension fund sold');
  });
});

describe('text layer', () => {
  it('parses a page with junk before <html> and a second <html> document', () => {
    const text = extract('shell-junk.html');
    expectInOrder(text, ['A mutual building society raised the rate', 'The society said it could afford', 'Savings campaigners said', 'The new rate applies from Monday']);
    for (const junk of ['HTTP/1.1', 'X-Cache', 'render 12ms']) expect(text).not.toContain(junk);
  });

  it('reads the text from JSON-LD articleBody when the page body has none', () => {
    const text = extract('jsonld-only.html');
    expect(text.split('\n\n')).toEqual([
      'A payments start-up that processes invoices for freelancers has opened its first office outside its home country, in a city it chose for its pool of engineers.',
      'The company said it would hire forty people there by the end of the year, most of them to work on fraud detection and on connecting to more banks.',
      'Its founders said the office would also let them apply for a payments licence in a second market without waiting for the first regulator to finish its review.',
    ]);
    const art = extractArticle(readFileSync(path.join(fixtures, 'jsonld-only.html'), 'utf8'), 'https://site.example/a');
    expect(art.text).toBe(text);
  });

  it('removes soft hyphens, normalises to NFC and drops ruby readings', () => {
    const text = extract('unicode-text.html');
    expect(text).not.toContain('\u00ad');
    expect(text).toContain('Die Finanzaufsicht will in diesem Jahr die Geldwäschekontrollen bei zwölf Zahlungsdienstleistern prüfen');
    expect(text).toContain('die Caf\u00e9-Kette');
    expect(text).not.toContain('e\u0301');
    expect(text).toContain('金融庁は決済事業者への検査を強化すると発表し');
    expect(text).not.toMatch(/きんゆうちょう|けっさい|\(/);
  });

  it('normalizeShell strips before the first shell and merges repeated shells, ignoring shell tags inside scripts', () => {
    expect(normalizeShell('junk<p>x</p><!doctype html><html><body><p>a</p></body></html>')).toBe('<!doctype html><html><body><p>a</p></body></html>');
    expect(normalizeShell('<html><body><p>a</p></body></html><html><body><p>b</p></body></html>')).toBe('<html><body><p>a</p><p>b</p>');
    const ld = '<html><head><script type="application/ld+json">{"articleBody":"<body><p>x</p></body>"}</script></head><body><p>a</p></body></html>';
    expect(normalizeShell(ld)).toBe(ld);
    expect(normalizeShell('<p>fragment</p>')).toBe('<!doctype html><html><head></head><body><p>fragment</p></body></html>');
  });
});

describe('leaks in other languages', () => {
  const text = extract('multilingual-leaks.html');
  it('keeps the article paragraphs', () => {
    expectInOrder(text, ['Die Sparkasse der Region will', 'Der Vorstand kündigte an', 'Kündigungen soll es', 'Der Personalrat sprach']);
    expect(text.split('\n\n')).toHaveLength(4);
  });
  it.each(['Lesen Sie auch', 'Lire aussi', 'Czytaj także', 'Newsletter', 'Mit Material von dpa', 'Über den Autor', 'Jonas Brenner'])('drops %s', (needle) => {
    expect(text).not.toContain(needle);
  });

  const b = (text: string, extra: Partial<Block> = {}): Block => ({ text, linkChars: 0, tag: 'p', heading: false, quote: false, ...extra });
  const prose = (n: number): Block => b(`Paragraph ${n} of the story has enough words in it to be a real paragraph of prose, long enough to count, and it ends with a full stop.`);
  it.each([
    'Leia também: Banco central mantém juros',
    'Lee también: El banco sube los tipos',
    'Leggi anche: La banca chiude gli sportelli',
    'Lees ook: Bank sluit kantoren',
    'Ook lezen: Pinnen wordt duurder',
    'À lire aussi : la fintech lève des fonds',
    'Читайте также: Банк снизил ставку',
    '関連記事：銀行が手数料を引き下げ',
    'Läs också: Banken höjer räntan',
  ])('postClean drops the teaser line "%s"', (line) => {
    const out = postClean([prose(1), b(line, { linkChars: line.length - 12 }), prose(2)], []).map((x) => x.text);
    expect(out).toEqual([prose(1).text, prose(2).text]);
  });
  it('drops sign-offs and moderation notes at the end, in several languages', () => {
    const tail = [
      b('Have a tip? The reporter may be reached by email. Follow her on Twitter or on Facebook.'),
      b('Join our community forums to keep talking about banks and payments!'),
      b('Folgen Sie uns auf Instagram und LinkedIn.'),
      b('Nota: os comentários são moderados antes de serem publicados.'),
      b('[사진=연합뉴스]'),
      b('(Reporting by Ana Lima; Editing by Sam Ortiz)'),
    ];
    expect(postClean([prose(1), prose(2), ...tail], []).map((x) => x.text)).toEqual([prose(1).text, prose(2).text]);
    // The same words inside the article are text.
    const inside = b('The regulator said comments on the draft rules would be moderated by an independent panel before publication.');
    expect(postClean([prose(1), inside, prose(2)], [])).toHaveLength(3);
  });
  it('drops production credits and a closing one-line bio, keeps a sentence that merely mentions a reporter', () => {
    const keep = b('The reporter who broke the story, Ana Lima, said the bank had not replied to written questions before the deadline.');
    const out = postClean([prose(1), keep, prose(2), b('Additional reporting by Sam Ortiz; editing by Lee Park'), b('Jane Roe is a senior reporter covering banks and payments.')], []).map((x) => x.text);
    expect(out).toEqual([prose(1).text, keep.text, prose(2).text]);
  });
});

describe('class tokens are read by structure, not by substring', () => {
  it.each([
    'field field--name-body field--label-hidden',
    'field-label-hidden',
    'hidden-xs',
    'hide-on-mobile',
    'hidden-print',
    'd-none d-md-block',
    'noprint',
    'no-share',
    'cmp-text',
    'c-article__text c-article__text--ads',
    'elementor-widget elementor-widget-text-editor',
    'elementor-widget-wrap',
  ])('%s is not boilerplate', (name) => {
    expect(boilerplateKind(name)).toBeNull();
  });
  it.each([
    ['hidden', 'strong'],
    ['is-hidden', 'strong'],
    ['d-none', 'strong'],
    ['visually-hidden', 'strong'],
    ['share-bar', 'strong'],
    ['ad-slot', 'strong'],
    ['cmp', 'strong'],
    ['widget widget_recent_entries', 'weak'],
    ['widget Blog', 'weak'],
    ['teaser-text', 'weak'],
    ['slideshow', 'weak'],
    ['comment-list', 'comment'],
    ['photo-caption', 'caption'],
    ['wp-caption aligncenter', 'caption'],
  ])('%s is %s', (name, kind) => {
    expect(boilerplateKind(name)).toBe(kind);
  });
});
