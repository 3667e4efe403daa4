/**
 * The timeline island: filters and full-text search over the sharded lunr index, in place, with the
 * query kept in the URL (?q=&company=&kind=&from=&to=) so a search can be shared. It fetches the
 * manifest, the router files of the query's terms, then only shards that can match, newest first,
 * and renders results as they arrive; "Show more" continues through the remaining shards.
 * Entries are built with DOM APIs (textContent), never from HTML strings.
 */
import {
  candidateShards,
  prefixOf,
  queryTerms,
  routeTerms,
  searchShard,
  shardFile,
  type Filters,
  type Manifest,
  type RouterFile,
  type Shard,
  type TimelineRecord,
} from '../lib/site/search-shards.ts';

const BASE = '/timeline/index/';
const PAGE = 50;
const PARALLEL = 4;
const FIELDS = ['q', 'company', 'kind', 'from', 'to'] as const;

const form = document.querySelector<HTMLFormElement>('#timeline-form');
const list = document.querySelector<HTMLOListElement>('#timeline-results');
const statusEl = document.querySelector<HTMLElement>('#timeline-status');
const more = document.querySelector<HTMLButtonElement>('#timeline-more');

const cache = new Map<string, Promise<unknown>>();
function getJson<T>(file: string): Promise<T> {
  let p = cache.get(file);
  if (!p) {
    p = fetch(BASE + file).then((r) => {
      if (!r.ok) throw new Error(`${file}: HTTP ${r.status}`);
      return r.json();
    });
    p.catch(() => cache.delete(file));
    cache.set(file, p);
  }
  return p as Promise<T>;
}

function setStatus(state: 'idle' | 'loading' | 'done' | 'error', text: string) {
  if (!statusEl) return;
  statusEl.dataset.state = state;
  statusEl.textContent = text;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The same markup as src/components/FactItem.astro. */
function renderRecord(r: TimelineRecord, companyName: string): HTMLLIElement {
  const li = el('li', 'fact');
  li.dataset.factId = r.i;
  const when = el('div', 'when');
  const time = el('time', undefined, r.o ?? `published ${r.w ?? '—'}`);
  time.dateTime = r.d;
  const co = el('a', undefined, companyName);
  co.href = `/companies/${encodeURIComponent(r.c)}/`;
  when.append(time, ' · ', co, ' · ', el('span', 'kind', r.k.replace(/_/g, ' ')));
  const what = el('p', 'what');
  if (r.k === 'quote') what.append(el('q', undefined, r.q ?? ''), ' — ', el('span', 'speaker', r.p ?? ''));
  else what.append(el('strong', undefined, r.v ?? ''));
  li.append(when, what, el('p', 'statement', r.t));
  if (r.a !== null) {
    const src = el('p', 'src');
    const a = el('a', undefined, 'evidence');
    a.href = `/articles/${r.a}/#fact-${encodeURIComponent(r.i)}`;
    src.append(a, ' ', el('span', 'muted', `in ${r.u ?? r.h ?? 'the article'}${r.w ? `, ${r.w}` : ''}`));
    li.append(src);
  }
  return li;
}

function readForm(): { q: string; filters: Filters } {
  const data = form ? new FormData(form) : new FormData();
  const v = (k: string) => String(data.get(k) ?? '').trim();
  const filters: Filters = {};
  if (v('company')) filters.company = v('company');
  if (v('kind')) filters.kind = v('kind');
  if (/^\d{4}-\d{2}-\d{2}$/.test(v('from'))) filters.from = v('from');
  if (/^\d{4}-\d{2}-\d{2}$/.test(v('to'))) filters.to = v('to');
  return { q: v('q'), filters };
}

function syncUrl() {
  if (!form) return;
  const url = new URL(location.href);
  const data = new FormData(form);
  for (const k of FIELDS) {
    const v = String(data.get(k) ?? '').trim();
    if (v) url.searchParams.set(k, v);
    else url.searchParams.delete(k);
  }
  history.replaceState(null, '', url);
}

function fillForm() {
  if (!form) return;
  const params = new URLSearchParams(location.search);
  for (const k of FIELDS) {
    const input = form.elements.namedItem(k) as HTMLInputElement | HTMLSelectElement | null;
    const v = params.get(k);
    if (input && v !== null) input.value = v;
  }
}

const staticItems = list ? [...list.children].map((n) => n.cloneNode(true)) : [];
const staticStatus = statusEl?.textContent ?? '';

interface Search {
  gen: number;
  q: string;
  filters: Filters;
  manifest: Manifest;
  shards: number[];
  next: number;
  results: TimelineRecord[];
  relaxed: boolean;
}
let generation = 0;
let current: Search | null = null;

async function start() {
  const gen = ++generation;
  const { q, filters } = readForm();
  if (!q && !Object.keys(filters).length) {
    current = null;
    list?.replaceChildren(...staticItems.map((n) => n.cloneNode(true)));
    if (more) more.hidden = true;
    setStatus('idle', staticStatus);
    return;
  }
  setStatus('loading', 'Searching…');
  try {
    const manifest = await getJson<Manifest>('manifest.json');
    let routed: Map<number, number> | null = null;
    if (q) {
      const terms = queryTerms(q);
      const prefixes = [...new Set(terms.map((t) => prefixOf(t.term)))].filter((p) => manifest.prefixes.includes(p));
      const files = new Map(await Promise.all(prefixes.map(async (p) => [p, await getJson<RouterFile>(`terms/${p}.json`)] as const)));
      routed = routeTerms(terms, files);
    }
    if (gen !== generation) return;
    current = { gen, q, filters, manifest, shards: candidateShards(manifest, filters, routed), next: 0, results: [], relaxed: false };
    await load(current, PAGE);
  } catch (err) {
    if (gen !== generation) return;
    setStatus('error', 'The search index did not load. Reload the page, or browse the years below.');
    console.warn('timeline search failed', err);
  }
}

async function load(s: Search, want: number) {
  const names = new Map(s.manifest.companies);
  const target = s.results.length + want;
  setStatus('loading', 'Searching…');
  while (s.results.length < target && s.next < s.shards.length) {
    // A small first batch gets the first results on screen sooner; later batches fetch more at once.
    const batch = s.shards.slice(s.next, s.next + (s.next === 0 ? 2 : PARALLEL));
    s.next += batch.length;
    const loaded = await Promise.all(
      batch.map((n) => {
        const [c, year] = s.manifest.shards[n]!;
        return getJson<Shard>(shardFile(s.manifest.companies[c]![0], year));
      }),
    );
    if (s.gen !== generation) return;
    for (const shard of loaded) {
      const found = searchShard(shard, s.q, s.filters);
      s.relaxed ||= found.relaxed;
      s.results.push(...found.records);
    }
    // Render as results arrive: the first ones show before the rest of the shards are fetched.
    render(s, names);
  }
  render(s, names);
  const left = s.next < s.shards.length;
  if (more) more.hidden = !left;
  const n = s.results.length;
  setStatus(
    'done',
    `${n === 0 ? 'No facts' : n === 1 ? '1 fact' : `${n}${left ? '+' : ''} facts`}` +
      (s.relaxed ? ' (the query was not valid search syntax, so its words were searched instead)' : '') +
      (left ? ' — more below' : ''),
  );
}

function render(s: Search, names: Map<string, string>) {
  if (!list || s.gen !== generation) return;
  const sorted = [...s.results].sort((a, b) => b.d.localeCompare(a.d) || a.i.localeCompare(b.i));
  list.replaceChildren(...sorted.map((r) => renderRecord(r, names.get(r.c) ?? r.c)));
}

if (form && list) {
  fillForm();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      syncUrl();
      void start();
    }, delay);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    changed(0);
  });
  form.addEventListener('input', (e) => changed((e.target as HTMLElement).id === 'tl-q' ? 300 : 0));
  more?.addEventListener('click', () => {
    if (current) void load(current, PAGE);
  });
  if (FIELDS.some((k) => new URLSearchParams(location.search).get(k))) void start();
}
