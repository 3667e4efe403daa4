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
import { isHidden, linkDensityOf, scanProse } from './prose.ts';

/** Elements that are never article text. */
const DROP_TAGS = ['nav', 'aside', 'footer', 'button', 'select', 'textarea', 'input', 'label', 'dialog', 'figcaption', 'menu'];
const DROP_TAG_SET = new Set(DROP_TAGS);
/** <header> and <form> are removed unless they contain the text core (some sites wrap the whole page in one). */

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
  'cookie', 'cookies', 'consent', 'gdpr', 'cmp', 'cmpbox', 'modal', 'popup', 'overlay',
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
  'hidden', 'hide', 'invisible', 'sronly', 'visuallyhidden', 'print', 'screenreader',
]);
/**
 * Words that also name content containers: Elementor's "elementor-widget-text-editor" and Blogspot's
 * "widget Blog" hold the post, a "teaser-text" is a lead, a "slideshow" can be the story told in
 * slides. An element named only by these is removed only when it holds no prose of its own (see
 * preClean); recirculation teasers hold link-dense or short text.
 */
const WEAK_WORDS = new Set(['widget', 'widgets', 'teaser', 'teasers', 'gallery', 'slideshow', 'carousel']);
/**
 * A caption is a line or two under a picture; an element so named that holds paragraphs of prose is
 * text mislabelled by its template (photo stories, image-led posts), and is kept.
 */
const CAPTION_WORDS = new Set(['caption', 'captions', 'figcaption']);
/** Comment vocabulary: boilerplate on a news page, the content itself on a forum or Q&A page. */
const COMMENT_WORDS = new Set(['comment', 'comments', 'disqus', 'respond', 'replies']);
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
/** Embedded posts (tweets, Instagram, …) are quoted material of the article, not share widgets. */
const EMBED_WORDS = new Set(['embed', 'embedded', 'tweet', 'twitter-tweet', 'instagram-media', 'oembed']);
/** Words that mark the article body; an element carrying one of them is never dropped by class. */
const GOOD_WORDS = new Set(['article', 'articlebody', 'content', 'entry', 'post', 'story', 'storybody', 'body', 'main', 'text', 'prose', 'richtext']);
/** Visibility words that hide an element only on some screens or media ("hidden-xs", "hide-on-mobile", "hidden-print"). */
const HIDE_WORDS = new Set(['hidden', 'hide', 'invisible', 'none']);
const MEDIA_WORDS = new Set(['xs', 'sm', 'md', 'lg', 'xl', 'xxl', 'mobile', 'phone', 'tablet', 'desktop', 'print', 'small', 'medium', 'large', 'portrait', 'landscape', 'narrow', 'wide']);
/** "label-hidden", "title-hidden": a part of the element is hidden, not the element. */
const PART_WORDS = new Set(['label', 'labels', 'title', 'heading', 'header', 'icon', 'image', 'img', 'legend', 'thumb']);
/** Component-library namespaces whose next words name the component (AEM's "cmp-text", "cmp-image"). */
const NAMESPACES = new Set(['cmp']);
const NEGATIONS = new Set(['no', 'not', 'without']);

export function classWords(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * The words of one class token that name what the element is. Structure, not substrings:
 * a BEM modifier ("block--modifier", "field--label-hidden", "article--ads") states a variant, so only
 * the part before "--" counts; a namespace prefix ("cmp-") is skipped when words follow it;
 * a negated word ("no-share", "noprint") and a visibility word scoped to a medium or to a part
 * ("hidden-xs", "hide-on-mobile", "label-hidden") name nothing.
 */
function namingWords(tok: string): string[] {
  const head = tok.split('--')[0] || tok;
  let words = classWords(head);
  if (words.length > 1 && NAMESPACES.has(words[0]!)) words = words.slice(1);
  // "hidden-print", "hide-on-mobile": a visibility rule scoped to a medium; neither word names the element.
  const scoped = words.some((x) => HIDE_WORDS.has(x)) && words.some((x) => MEDIA_WORDS.has(x));
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (scoped && (HIDE_WORDS.has(w) || MEDIA_WORDS.has(w))) continue;
    if (NEGATIONS.has(w)) {
      i++;
      continue;
    }
    if (w.length > 4 && w.startsWith('no') && BAD_WORDS.has(w.slice(2))) continue;
    if (HIDE_WORDS.has(w) && i > 0 && PART_WORDS.has(words[i - 1]!)) continue;
    out.push(w);
  }
  return out;
}

export type BoilerplateKind = 'strong' | 'weak' | 'caption' | 'comment';

/** What one class token says about its element. */
interface TokenVerdict {
  /** 'veto': article or embed vocabulary, the element is never boilerplate by name. */
  kind: BoilerplateKind | 'veto' | null;
  /** The only boilerplate in it is a "none" display pair ("d-none"), undone by a "d-md-block" beside it. */
  displayNone: boolean;
  /** A display utility that shows the element at some size ("d-md-block", "visible-lg"). */
  shows: boolean;
}

function judgeToken(tok: string): TokenVerdict {
  const all = classWords(tok);
  const shows = (all[0] === 'd' || all[0] === 'visible' || all[0] === 'show') && all.some((x) => MEDIA_WORDS.has(x)) && all[all.length - 1] !== 'none';
  const words = namingWords(tok);
  if (words.length === 1 && GOOD_WORDS.has(words[0]!)) return { kind: 'veto', displayNone: false, shows };
  let strong = false;
  let weak = false;
  let comment = false;
  let caption = false;
  let displayNone = false;
  const mark = (w: string): void => {
    if (COMMENT_WORDS.has(w) || w.startsWith('comment')) comment = true;
    else if (CAPTION_WORDS.has(w) || w.startsWith('caption')) caption = true;
    else if (WEAK_WORDS.has(w)) weak = true;
    else strong = true;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (EMBED_WORDS.has(w)) return { kind: 'veto', displayNone: false, shows };
    if (w === 'cmp' && words.length > 1) continue;
    // "widget" names a sidebar box when it leads the token ("widget", "widget_recent_entries"); inside
    // a builder's namespace ("elementor-widget-text-editor", "elementor-widget-wrap") it is layout.
    if ((w === 'widget' || w === 'widgets') && i > 0) continue;
    if (BAD_WORDS.has(w) || BAD_PREFIXES.some((p) => w.startsWith(p))) mark(w);
    else if (i + 1 < words.length && BAD_PAIRS.has(w + ' ' + words[i + 1])) {
      if (words[i + 1] === 'none') displayNone = true;
      else strong = true;
    }
  }
  const joined = words.join('');
  if (words.length > 1 && BAD_WORDS.has(joined)) mark(joined);
  return { kind: strong ? 'strong' : comment ? 'comment' : caption ? 'caption' : weak ? 'weak' : null, displayNone, shows };
}

/** Class tokens repeat across elements and pages: each is judged once (bounded cache). */
const verdicts = new Map<string, TokenVerdict>();
function tokenVerdict(tok: string): TokenVerdict {
  let v = verdicts.get(tok);
  if (!v) {
    v = judgeToken(tok);
    if (verdicts.size > 20_000) verdicts.clear();
    verdicts.set(tok, v);
  }
  return v;
}

const RANK = { strong: 4, comment: 3, caption: 2, weak: 1 } as const;

/**
 * How a class/id attribute string names its element: 'strong' boilerplate (always removed),
 * 'weak' (removed unless it holds prose), 'caption' (removed unless it holds several paragraphs), 'comment' (boilerplate unless comments are the page's
 * content), or null (not boilerplate, or carrying article/embed vocabulary).
 */
export function boilerplateKind(s: string): BoilerplateKind | null {
  if (!s) return null;
  const tokens = s.split(/\s+/);
  let kind: BoilerplateKind | null = null;
  let displayNone = false;
  let shown = false;
  for (const tok of tokens) {
    if (!tok) continue;
    const v = tokenVerdict(tok);
    if (v.kind === 'veto') return null;
    if (v.kind && (!kind || RANK[v.kind] > RANK[kind])) kind = v.kind;
    displayNone ||= v.displayNone;
    shown ||= v.shows;
  }
  // "d-none d-md-block": hidden on phones only.
  if (displayNone && !shown) return 'strong';
  return kind;
}

/** Whether a class/id attribute string uses boilerplate vocabulary (and no article vocabulary). */
export function isBoilerplateName(s: string): boolean {
  return boilerplateKind(s) !== null;
}


/** The article's core container (see scanProse). Its ancestors are never removed by name. */
export function findTextCore(body: Element): Element {
  return scanProse(body).core;
}

/** A weak-named element is kept when it holds this much prose and is mostly prose, not links. */
const WEAK_KEEP_PROSE = 200;
/** A caption-named element with two paragraphs and this much prose is text, not a caption. */
const CAPTION_KEEP_PROSE = 250;
/** Less prose than this outside the comments: the page has no article besides them. */
const FORUM_MAX_ARTICLE = 250;
/** A lead (standfirst) is kept when it sits within this many levels of the core's ancestors. */
const NEAR_LEVELS = 3;

/** Each of the core's ancestors (and the core) with its distance from the core. */
function ancestorDistances(core: Element): Map<Element, number> {
  const dist = new Map<Element, number>();
  let d = 0;
  for (let el: Element | null = core; el; el = el.parentElement) dist.set(el, d++);
  return dist;
}

/**
 * On a forum or Q&A page the core sits in a comment-named element and the page has no article
 * besides the comments (a blog post's short intro above a long thread is still the article).
 */
function commentsAreTheContent(all: Element[], kinds: Map<Element, BoilerplateKind>, prose: Map<Element, number>, body: Element, core: Element): boolean {
  let inside = false;
  for (let a: Element | null = core; a && !inside; a = a.parentElement) inside = kinds.get(a) === 'comment';
  if (!inside) return false;
  let inComments = 0;
  for (const el of all) {
    if (kinds.get(el) !== 'comment') continue;
    let outer = true;
    for (let a = el.parentElement; a && outer; a = a.parentElement) if (kinds.get(a) === 'comment') outer = false;
    if (outer) inComments += prose.get(el) ?? 0;
  }
  return (prose.get(body) ?? 0) - inComments < Math.min(prose.get(core) ?? 0, FORUM_MAX_ARTICLE);
}

/**
 * Removes boilerplate elements from the document in place: DROP_TAGS always, header/form unless
 * they contain the text core (or, for a header, the article's lead), and any element that is
 * hidden, has a boilerplate ARIA role or a boilerplate class/id, unless it is the text core or one
 * of its ancestors, or a weak-named container of prose. `debug` is told about every removal.
 */
export function preClean(doc: Document, debug?: (why: string, el: Element) => void): number {
  const body = doc.body;
  if (!body) return 0;
  const scan = scanProse(body);
  const { prose, units } = scan;
  let core = scan.core;
  let coreDist = ancestorDistances(core);
  const holdsArticle = (el: Element): boolean => coreDist.has(el);
  // Within the article: joins the core's ancestor chain close to both it and the core.
  const nearCore = (el: Element): boolean => {
    if (core === body) return false;
    let up = 0;
    for (let a = el.parentElement; a && up < NEAR_LEVELS; a = a.parentElement, up++) {
      const cd = coreDist.get(a);
      if (cd !== undefined) return cd <= NEAR_LEVELS;
    }
    return false;
  };
  const proseOf = (el: Element): number => prose.get(el) ?? 0;
  /** Prose that is the element's substance: enough of it, and not a link list with blurbs. */
  const holdsProse = (el: Element, kind: BoilerplateKind): boolean => {
    const p = proseOf(el);
    if (!p) return false;
    const len = (el.textContent ?? '').trim().length;
    const dense = p >= len * 0.5 && linkDensityOf(el) < 0.25;
    if (kind === 'caption') return dense && p >= CAPTION_KEEP_PROSE && (units.get(el) ?? 0) >= 2;
    return dense && (p >= WEAK_KEEP_PROSE || nearCore(el));
  };
  const all = Array.from(body.querySelectorAll('*'));
  const kinds = new Map<Element, BoilerplateKind>();
  // Pages repeat the same few class strings on thousands of elements: classify each string once.
  const byName = new Map<string, BoilerplateKind | null>();
  for (const el of all) {
    const cls = el.getAttribute('class');
    const id = el.getAttribute('id');
    if (!cls && !id) continue;
    const name = `${cls ?? ''} ${id ?? ''}`;
    let k = byName.get(name);
    if (k === undefined) byName.set(name, (k = boilerplateKind(name)));
    if (k) kinds.set(el, k);
  }
  const commentsAreContent = commentsAreTheContent(all, kinds, prose, body, core);
  if (!commentsAreContent && [...coreDist.keys()].some((el) => kinds.get(el) === 'comment')) {
    // A news page whose longest comment outscored the article: the core is the article's container.
    core = scanProse(body, (el) => kinds.get(el) === 'comment').core;
    coreDist = ancestorDistances(core);
  }
  const remove = (el: Element, why: string): void => {
    debug?.(why, el);
    el.parentNode?.removeChild(el);
  };

  // One pass in document order: an element removed with its ancestor is no longer connected.
  for (const el of all) {
    const tag = el.localName;
    if (DROP_TAG_SET.has(tag)) {
      if (el.isConnected) remove(el, tag);
    } else if (tag === 'header' || tag === 'form') {
      if (!el.isConnected || holdsArticle(el)) continue;
      // An article's <header> holds its headline and often the standfirst: that lead is text.
      if (tag === 'header' && proseOf(el) && nearCore(el) && el.getAttribute('role') !== 'banner') continue;
      remove(el, tag);
    }
  }

  for (const el of all) {
    if (!el.isConnected) continue;
    const tag = el.localName;
    if (tag === 'article' || tag === 'main' || tag === 'body' || tag === 'p' || tag === 'blockquote') continue;
    const role = el.getAttribute('role');
    const hidden = isHidden(el);
    let named = kinds.get(el) ?? null;
    if (named === 'comment' && commentsAreContent) named = null;
    if (!hidden && !named && !(role && DROP_ROLES.has(role))) continue;
    if (holdsArticle(el)) continue;
    if (!hidden && !(role && DROP_ROLES.has(role)) && (named === 'weak' || named === 'caption') && holdsProse(el, named)) continue;
    remove(el, hidden ? 'hidden' : named ? 'name' : 'role');
  }
  return proseOf(body);
}

/**
 * The fallback's cleaning, when preClean removed the article with its wrapper: only elements that
 * are never article text (DROP_TAGS) and hidden ones.
 */
export function lightClean(doc: Document): void {
  const body = doc.body;
  if (!body) return;
  for (const tag of DROP_TAGS) for (const el of Array.from(body.getElementsByTagName(tag))) el.parentNode?.removeChild(el);
  for (const el of Array.from(body.querySelectorAll('*'))) if (el.isConnected && isHidden(el)) el.parentNode?.removeChild(el);
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
