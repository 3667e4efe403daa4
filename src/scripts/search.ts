/**
 * The article search island: reads ?q= and ?page= from the URL, asks pagefind (loaded on first use
 * from /pagefind/pagefind.js, so a visitor who never searches downloads nothing), and renders one
 * page of PAGE results with DOM APIs, with Previous / Next links to the neighbouring pages. The page
 * is in the URL, so every page of results can be linked, reloaded and reached with Back. pagefind
 * answers with every matching id at once; only the shown page's data (excerpt, title) is fetched. pagefind's excerpts are HTML with <mark> around matches; they are parsed into
 * an inert document and only text plus <mark> is carried over, so nothing from an article can inject
 * markup here.
 */
interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  filters?: Record<string, string[]>;
}
interface Pagefind {
  init(): Promise<void>;
  mergeIndex(url: string): Promise<void>;
  search(q: string): Promise<{ results: { id: string; data(): Promise<PagefindResultData> }[] } | null>;
  debouncedSearch?: unknown;
}

/**
 * Written by every build (src/cli/site-build/search-index.ts): the index is in shards of article ids
 * (the first at /pagefind/) plus a small index of the articles new or changed since their shard was
 * written, all merged here; the shards' results for the articles the delta supersedes are dropped.
 */
interface SearchIndexes {
  merge: string[];
  superseded: string[];
}

export {}; // a module: its names must not clash with window globals (status, …)

const PAGE = 10;
const form = document.querySelector<HTMLFormElement>('#search-form');
const input = document.querySelector<HTMLInputElement>('#search-q');
const status = document.querySelector<HTMLElement>('#search-status');
const list = document.querySelector<HTMLOListElement>('#search-results');
const pager = document.querySelector<HTMLElement>('#search-pages');

let loaded: Promise<{ pf: Pagefind; superseded: Set<string> }> | undefined;
function pagefind(): Promise<{ pf: Pagefind; superseded: Set<string> }> {
  loaded ??= (async () => {
    // Both at once: the small description of the indexes does not hold up pagefind's own start.
    const described = fetch('/pagefind/factdesk-search.json')
      .then((r) => (r.ok ? (r.json() as Promise<SearchIndexes>) : null))
      .catch(() => null);
    const url = '/pagefind/pagefind.js';
    const pf = (await import(/* @vite-ignore */ url)) as Pagefind;
    await pf.init();
    const d = await described;
    // Only site paths of ours: the file is ours, but nothing it says may point the search elsewhere.
    const merge = Array.isArray(d?.merge) ? d.merge.filter((m) => typeof m === 'string' && /^\/pagefind-[a-z0-9]+\/$/.test(m)) : [];
    for (const m of merge) await pf.mergeIndex(m);
    return { pf, superseded: new Set(Array.isArray(d?.superseded) ? d.superseded : []) };
  })();
  return loaded;
}

function setStatus(state: 'idle' | 'loading' | 'done' | 'error', text: string) {
  if (!status) return;
  status.dataset.state = state;
  status.textContent = text;
}

/** Text and <mark> only, taken from an inert parse of pagefind's excerpt HTML. */
function excerptNodes(html: string): Node[] {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const out: Node[] = [];
  for (const n of Array.from(doc.body.childNodes)) {
    if (n.nodeName === 'MARK') {
      const m = document.createElement('mark');
      m.textContent = n.textContent;
      out.push(m);
    } else out.push(document.createTextNode(n.textContent ?? ''));
  }
  return out;
}

/** pagefind urls are site paths; anything else (it should never happen) is not linked. */
function safePath(u: string): string | null {
  return u.startsWith('/') && !u.startsWith('//') ? u : null;
}

function render(d: PagefindResultData): HTMLLIElement {
  const li = document.createElement('li');
  const h = document.createElement('a');
  h.textContent = d.meta.title ?? d.url;
  const href = safePath(d.url);
  if (href) h.href = href;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = [d.meta.outlet, d.meta.date].filter(Boolean).join(' · ');
  const p = document.createElement('p');
  p.append(...excerptNodes(d.excerpt));
  li.append(h, meta, p);
  return li;
}

/** ?page= as a page number from 1; anything else (missing, 0, "abc", "2.5") is the first page. */
function pageOf(params: URLSearchParams): number {
  const raw = params.get('page') ?? '';
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}

/** The URL of one page of results for `q`; page 1 is left out of the URL, so it has one address. */
function pageUrl(q: string, page: number): URL {
  const url = new URL('/search/', location.href);
  if (q) url.searchParams.set('q', q);
  if (page > 1) url.searchParams.set('page', String(page));
  return url;
}

/** Previous / "page n of m" / Next, as real links (they work in a new tab and without this script's click handler). */
function renderPager(q: string, page: number, pages: number) {
  if (!pager) return;
  if (pages <= 1) {
    pager.replaceChildren();
    pager.hidden = true;
    return;
  }
  const link = (to: number, text: string, rel: string) => {
    const a = document.createElement('a');
    const u = pageUrl(q, to);
    a.href = u.pathname + u.search;
    a.rel = rel;
    a.dataset.page = String(to);
    a.textContent = text;
    return a;
  };
  const where = document.createElement('span');
  where.textContent = `Page ${page} of ${pages}`;
  pager.replaceChildren(
    ...(page > 1 ? [link(page - 1, '← Previous', 'prev')] : []),
    where,
    ...(page < pages ? [link(page + 1, 'Next →', 'next')] : []),
  );
  pager.hidden = false;
}

let generation = 0;
async function run(q: string, page: number) {
  const mine = ++generation;
  if (!list) return;
  if (!q.trim()) {
    list.replaceChildren();
    renderPager('', 1, 0);
    setStatus('idle', '');
    return;
  }
  setStatus('loading', 'Searching…');
  try {
    const { pf, superseded } = await pagefind();
    const res = await pf.search(q);
    if (mine !== generation) return; // a newer query has started
    const hits = (res?.results ?? []).filter((r) => !superseded.has(r.id));
    const pages = Math.max(1, Math.ceil(hits.length / PAGE));
    // A link to page 9 of what is now 2 pages shows the last page rather than nothing.
    const shown = Math.min(page, pages);
    const first = (shown - 1) * PAGE;
    const data = await Promise.all(hits.slice(first, first + PAGE).map((r) => r.data()));
    if (mine !== generation) return;
    list.start = first + 1; // the numbers continue across pages: page 2 starts at 11
    list.replaceChildren(...data.map(render));
    renderPager(q.trim(), shown, pages);
    const count = hits.length === 1 ? '1 article' : `${hits.length} articles`;
    const last = first + data.length;
    const range = pages > 1 ? ` (showing ${last > first + 1 ? `${first + 1}–${last}` : `no. ${last}`})` : '';
    setStatus('done', count + range);
  } catch (err) {
    if (mine !== generation) return;
    list.replaceChildren();
    renderPager('', 1, 0);
    setStatus('error', 'Search is not available: the search index did not load. Rebuild the site with `factdesk build`.');
    console.warn('pagefind failed', err);
  }
}

/** Shows what the current URL asks for. */
function fromUrl(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const q = params.get('q') ?? '';
  if (input) input.value = q;
  return run(q, pageOf(params));
}

if (form && input) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // A new query starts at its first page; each query is its own history entry, as without this script.
    history.pushState(null, '', pageUrl(input.value.trim(), 1));
    void run(input.value, 1);
  });
  pager?.addEventListener('click', (e) => {
    const a = (e.target as Element).closest<HTMLAnchorElement>('a[data-page]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    history.pushState(null, '', a.href);
    // The reader is at the foot of the list: take them to the top of the new page.
    void fromUrl().then(() => status?.scrollIntoView({ block: 'start' }));
  });
  window.addEventListener('popstate', () => void fromUrl());
  void fromUrl();
}
