/**
 * Boilerplate pre-cleaning of a parsed page, run before Readability picks the main container.
 *
 * Readability alone keeps navigation lists, "you may also like" teasers, share bars, bylines and
 * captions whenever they sit inside the container it picks (or when it picks a too-large container).
 * Removing them first makes both the choice and the output cleaner. The rules are generic: element
 * types, ARIA roles, hidden elements and class/id vocabulary that sites use for non-article parts.
 * A guard keeps the article's core container (findTextCore) and all its ancestors, whatever their
 * names (wrappers named "has-sidebar", "pg-rail__body", "widget Blog" and the like).
 */

/** Elements that are never article text. */
const DROP_TAGS = ['nav', 'aside', 'footer', 'button', 'select', 'textarea', 'input', 'label', 'dialog', 'figcaption', 'menu'];
/** Removed unless they contain the text core (some sites wrap the whole page in a <form> or <header>). */
const DROP_TAGS_GUARDED = ['header', 'form'];

const DROP_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'dialog', 'alertdialog', 'search', 'menu', 'menubar', 'toolbar', 'tablist']);

/** Single class/id words (after camelCase and -/_ splitting) that mark boilerplate. */
const BAD_WORDS = new Set([
  // sharing / social
  'share', 'shares', 'sharing', 'sharebar', 'sharetools', 'social', 'socials', 'addthis', 'sharethis', 'shareaholic',
  // recirculation
  'related', 'recommended', 'recommendations', 'recommendation', 'recirc', 'recirculation', 'outbrain', 'taboola',
  'trending', 'popular', 'mostread', 'mostpopular', 'morestories', 'readmore', 'alsoread', 'promo', 'promos',
  'teaser', 'teasers', 'upnext',
  // conversion / legal overlays
  'newsletter', 'newsletters', 'subscribe', 'subscription', 'signup', 'optin', 'paywall', 'regwall', 'piano',
  'cookie', 'cookies', 'consent', 'gdpr', 'cmp', 'modal', 'popup', 'overlay',
  // comments
  'comment', 'comments', 'disqus', 'respond', 'replies',
  // navigation
  'nav', 'navbar', 'navigation', 'menu', 'breadcrumb', 'breadcrumbs', 'pagination', 'pager', 'masthead', 'skip',
  'sidebar', 'rail', 'widget', 'widgets', 'footer', 'toolbar', 'tools',
  // article furniture outside the body text
  'byline', 'bylines', 'dateline', 'timestamp', 'caption', 'captions', 'credit', 'credits', 'figcaption',
  'tags', 'tagcloud', 'taglist', 'keywords', 'topics', 'bio', 'authorbio', 'author', 'authors', 'contributor',
  'gallery', 'slideshow', 'carousel', 'lightbox', 'tooltip', 'popover', 'hovercard', 'rollover',
  // ads
  'ad', 'ads', 'adv', 'advert', 'adverts', 'advertisement', 'advertising', 'adslot', 'adunit', 'dfp', 'gpt', 'sponsor',
  'sponsored', 'commercial', 'affiliate',
  // hidden / assistive
  'hidden', 'hide', 'invisible', 'sronly', 'visuallyhidden', 'print', 'noprint', 'screenreader',
]);
/** Word prefixes that mark boilerplate when a class word starts with them ("sharebar", "relatedlinks"). */
const BAD_PREFIXES = ['share', 'social', 'related', 'newsletter', 'comment', 'cookie', 'advert', 'sidebar', 'breadcrumb', 'byline', 'caption', 'subscri', 'recommend', 'promo', 'sponsor', 'outbrain', 'taboola'];
/** Two-word sequences that mark boilerplate ("read-more", "more-stories", "post-meta"). */
const BAD_PAIRS = new Set([
  'read more', 'more stories', 'more articles', 'more news', 'also read', 'see also', 'you may', 'may like', 'might like',
  'most read', 'most popular', 'post meta', 'entry meta', 'article meta', 'story meta', 'meta data', 'article info',
  'post info', 'entry footer', 'post footer', 'article footer', 'site header', 'page header', 'global header',
  'sign up', 'opt in', 'screen reader', 'visually hidden', 'sr only', 'display none', 'd none', 'publish date',
  'pub date', 'post date', 'entry date', 'article date', 'image credit', 'photo credit', 'about author', 'author info',
  'author box', 'further reading', 'next up', 'read next', 'top stories', 'in case', 'story list', 'article list',
  'link list', 'more from', 'jump link',
]);
/** Words that mark the article body; an element carrying one of them is never dropped by class. */
/** Embedded posts (tweets, Instagram, …) are quoted material of the article, not share widgets. */
const EMBED_WORDS = new Set(['embed', 'embedded', 'tweet', 'twitter-tweet', 'instagram-media', 'oembed']);
const GOOD_WORDS = new Set(['article', 'articlebody', 'content', 'entry', 'post', 'story', 'storybody', 'body', 'main', 'text', 'prose', 'richtext']);

export function classWords(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a class/id attribute string uses boilerplate vocabulary (and no article vocabulary). */
export function isBoilerplateName(s: string): boolean {
  if (!s) return false;
  const tokens = s.split(/\s+/);
  let bad = false;
  for (const tok of tokens) {
    const words = classWords(tok);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if ((GOOD_WORDS.has(w) && words.length === 1) || EMBED_WORDS.has(w)) return false;
      if (BAD_WORDS.has(w) || BAD_PREFIXES.some((p) => w.startsWith(p))) bad = true;
      else if (i + 1 < words.length && BAD_PAIRS.has(w + ' ' + words[i + 1])) bad = true;
    }
    if (BAD_WORDS.has(words.join(''))) bad = true;
  }
  return bad;
}

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/**
 * The article's core container, found the way Readability scores candidates: every element with
 * prose of its own (direct text nodes, or a <p>) gives its text length to its parent and half of it to
 * its grandparent; the best-scored element wins. Its ancestors are never removed by name.
 */
export function findTextCore(body: Element): Element {
  const scores = new Map<Element, number>();
  const add = (el: Element | null, v: number): void => {
    if (el) scores.set(el, (scores.get(el) ?? 0) + v);
  };
  for (const el of Array.from(body.querySelectorAll('*'))) {
    let own = 0;
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) own += (c.nodeValue ?? '').trim().length;
    }
    if (el.localName === 'p' || el.localName === 'pre') own = (el.textContent ?? '').trim().length;
    if (own < 25) continue;
    const parent = el.parentElement;
    add(parent, own);
    add(parent?.parentElement ?? null, own / 2);
  }
  let best: Element = body;
  let bestScore = 0;
  for (const [el, v] of scores) {
    if (v > bestScore) {
      bestScore = v;
      best = el;
    }
  }
  return best;
}

/**
 * Removes boilerplate elements from the document in place: DROP_TAGS always, header/form unless
 * they contain the text core, and any element that is hidden, has a boilerplate ARIA role or a
 * boilerplate class/id, unless it is the text core or one of its ancestors. `debug` is told about
 * every removal (used when investigating benchmark pages).
 */
export function preClean(doc: Document, debug?: (why: string, el: Element) => void): void {
  const body = doc.body;
  if (!body) return;
  const core = findTextCore(body);
  const protectedEls = new Set<Element>();
  for (let el: Element | null = core; el; el = el.parentElement) protectedEls.add(el);
  const holdsArticle = (el: Element): boolean => protectedEls.has(el);
  const remove = (el: Element, why: string): void => {
    debug?.(why, el);
    el.parentNode?.removeChild(el);
  };

  for (const tag of DROP_TAGS) for (const el of Array.from(body.getElementsByTagName(tag))) remove(el, tag);
  for (const tag of DROP_TAGS_GUARDED) {
    for (const el of Array.from(body.getElementsByTagName(tag))) {
      if (!el.isConnected) continue;
      if (!holdsArticle(el)) remove(el, tag);
    }
  }

  const all = Array.from(body.querySelectorAll('*'));
  for (const el of all) {
    if (!el.isConnected) continue;
    const tag = el.localName;
    if (tag === 'article' || tag === 'main' || tag === 'body' || tag === 'p' || tag === 'blockquote') continue;
    const role = el.getAttribute('role');
    const hidden =
      el.hasAttribute('hidden') ||
      el.getAttribute('aria-hidden') === 'true' ||
      HIDDEN_STYLE.test(el.getAttribute('style') ?? '');
    const named = isBoilerplateName(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`);
    if (!hidden && !named && !(role && DROP_ROLES.has(role))) continue;
    if (holdsArticle(el)) continue;
    remove(el, hidden ? 'hidden' : named ? 'name' : 'role');
  }
}

/**
 * Embedded posts (tweets, Instagram) are quoted material the article relies on, but their many
 * links make Readability's link-density check drop them. Unwrap the links so only their text remains.
 */
export function unlinkEmbeds(doc: Document): void {
  for (const q of Array.from(doc.querySelectorAll('blockquote'))) {
    const cls = `${q.getAttribute('class') ?? ''}`;
    if (!/tweet|instagram|tiktok|facebook|embed|social/i.test(cls)) continue;
    // Readability's negative class weights ("media", "social", "share") would drop the wrappers too.
    q.removeAttribute('class');
    for (let p = q.parentElement; p && p.childElementCount === 1 && p.localName === 'div'; p = p.parentElement) {
      p.removeAttribute('class');
      p.removeAttribute('id');
    }
    for (const a of Array.from(q.querySelectorAll('a'))) {
      const parent = a.parentNode;
      if (!parent) continue;
      while (a.firstChild) parent.insertBefore(a.firstChild, a);
      parent.removeChild(a);
    }
  }
}
