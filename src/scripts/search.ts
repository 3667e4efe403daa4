/**
 * The article search island: reads ?q= from the URL, asks pagefind (loaded on first use from
 * /pagefind/pagefind.js, so a visitor who never searches downloads nothing), and renders the top
 * results with DOM APIs. pagefind's excerpts are HTML with <mark> around matches; they are parsed into
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
  search(q: string): Promise<{ results: { id: string; data(): Promise<PagefindResultData> }[] } | null>;
  debouncedSearch?: unknown;
}

export {}; // a module: its names must not clash with window globals (status, …)

const PAGE = 10;
const form = document.querySelector<HTMLFormElement>('#search-form');
const input = document.querySelector<HTMLInputElement>('#search-q');
const status = document.querySelector<HTMLElement>('#search-status');
const list = document.querySelector<HTMLOListElement>('#search-results');

let loaded: Promise<Pagefind> | undefined;
function pagefind(): Promise<Pagefind> {
  const url = '/pagefind/pagefind.js';
  loaded ??= (import(/* @vite-ignore */ url) as Promise<Pagefind>).then(async (pf) => {
    await pf.init();
    return pf;
  });
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

let generation = 0;
async function run(q: string) {
  const mine = ++generation;
  if (!list) return;
  if (!q.trim()) {
    list.replaceChildren();
    setStatus('idle', '');
    return;
  }
  setStatus('loading', 'Searching…');
  try {
    const pf = await pagefind();
    const res = await pf.search(q);
    if (mine !== generation) return; // a newer query has started
    const hits = res?.results ?? [];
    const data = await Promise.all(hits.slice(0, PAGE).map((r) => r.data()));
    if (mine !== generation) return;
    list.replaceChildren(...data.map(render));
    const more = hits.length > PAGE ? ` (showing the first ${PAGE})` : '';
    setStatus('done', hits.length === 1 ? '1 article' + more : `${hits.length} articles${more}`);
  } catch (err) {
    if (mine !== generation) return;
    list.replaceChildren();
    setStatus('error', 'Search is not available: the search index did not load. Rebuild the site with `factdesk build`.');
    console.warn('pagefind failed', err);
  }
}

if (form && input) {
  const q = new URLSearchParams(location.search).get('q') ?? '';
  input.value = q;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const url = new URL(location.href);
    if (input.value.trim()) url.searchParams.set('q', input.value.trim());
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    void run(input.value);
  });
  void run(q);
}
