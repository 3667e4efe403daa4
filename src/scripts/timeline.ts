/**
 * The timeline island: filters and full-text search over the sharded lunr index, in place, with the
 * query kept in the URL (?q=&company=&kind=&from=&to=) so a search can be shared. It fetches the
 * manifest, the router files of the query's terms, then only shards that can match, newest first, a
 * few at a time, and renders results as they arrive (sorted by date); "Show more" shows the next
 * page and searches further shards when needed. With a company filter every shard of that company
 * is searched (one company's facts are few), so the count is exact and matches its fact sheet.
 * Entries are built with DOM APIs (textContent), never from HTML strings.
 */
import {
  byDateDesc,
  candidateShards,
  planQuery,
  routeQuery,
  routerPrefixes,
  searchShard,
  shardFile,
  type Filters,
  type Manifest,
  type QueryPlan,
  type RouterFile,
  type Shard,
  type TimelineRecord,
} from '../lib/site/search-shards.ts';
import { companyHref, evidenceHref } from '../lib/site/links.ts';
import { aheadLabel, badgeOf, sourceLabel, sourcesLabel, whenLabel } from '../lib/site/timeline-format.ts';

export {}; // a module: its names must not clash with window globals (status, …)

const BASE = '/timeline/index/';
const PAGE = 50;
const PARALLEL = 4;
const FIELDS = ['q', 'company', 'kind', 'from', 'to'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

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
    p.catch(() => cache.delete(file)); // a failed fetch is retried next time
    cache.set(file, p);
  }
  return p as Promise<T>;
}

function setStatus(state: 'idle' | 'loading' | 'done', text: string) {
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

/** The same markup as factItemHtml (src/lib/site/fact-item.ts) writes at build time: change both together. */
function renderRecord(r: TimelineRecord, companyName: string): HTMLLIElement {
  const li = el('li', 'fact');
  li.dataset.factId = r.i;
  const when = el('div', 'when');
  const time = el('time', undefined, whenLabel(r));
  time.dateTime = r.d;
  const co = el('a', undefined, companyName);
  co.href = companyHref(r.c);
  when.append(time);
  const ahead = aheadLabel(r);
  if (ahead) when.append(' · ', el('span', 'ahead', ahead));
  when.append(' · ', co, ' · ', el('span', 'kind', r.k.replace(/_/g, ' ')));
  const what = el('p', 'what');
  if (r.k === 'quote') what.append(el('q', undefined, r.q ?? ''), ' — ', el('span', 'speaker', r.p ?? 'unnamed'));
  else what.append(el('strong', undefined, r.v ?? ''));
  li.append(when, what, el('p', 'statement', r.t));
  const src = el('p', 'src');
  const badge = badgeOf(r);
  const b = el('span', `badge badge-${badge.value}`, badge.text);
  b.dataset.corroboration = badge.value;
  src.append(b, ' ');
  if (r.a !== null) {
    const a = el('a', undefined, 'evidence');
    a.href = evidenceHref(r.a, r.i);
    src.append(el('span', 'sources', sourcesLabel(r) ?? ''), ' · ', a, ' ', el('span', 'muted', `in ${sourceLabel(r)}`));
  } else src.append(el('span', 'muted', 'its articles have been revised since; the fact sheet lists its sources'));
  li.append(src);
  return li;
}

function readForm(): { q: string; filters: Filters } {
  const data = form ? new FormData(form) : new FormData();
  const v = (k: string) => String(data.get(k) ?? '').trim();
  const filters: Filters = {};
  if (v('company')) filters.company = v('company');
  if (v('kind')) filters.kind = v('kind');
  if (DAY.test(v('from'))) filters.from = v('from');
  if (DAY.test(v('to'))) filters.to = v('to');
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
    const input = form.elements.namedItem(k);
    const v = params.get(k);
    if (v === null || !(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) continue;
    // A select keeps its value only if it has that option; an unknown company then reads as "all".
    input.value = v;
  }
}

const staticItems = list ? [...list.children] : [];
const staticStatus = statusEl?.textContent ?? '';

interface Search {
  gen: number;
  plan: QueryPlan;
  filters: Filters;
  manifest: Manifest;
  names: Map<string, string>;
  /** candidate shard numbers, in fetch order */
  shards: number[];
  next: number;
  results: TimelineRecord[];
  shown: number;
}
let generation = 0;
let current: Search | null = null;

async function start() {
  const gen = ++generation;
  const { q, filters } = readForm();
  const plan = planQuery(q);
  if (!plan.clauses.length && !Object.keys(filters).length) {
    current = null;
    list?.replaceChildren(...staticItems);
    if (more) more.hidden = true;
    setStatus('idle', q && plan.relaxed ? `Nothing to search for in “${q}”. ${staticStatus}` : staticStatus);
    return;
  }
  setStatus('loading', 'Searching…');
  try {
    const manifest = await getJson<Manifest>('manifest.json');
    let routed: Set<number> | null = null;
    if (plan.clauses.length) {
      const prefixes = routerPrefixes(plan).filter((p) => manifest.prefixes.includes(p));
      const files = new Map(await Promise.all(prefixes.map(async (p) => [p, await getJson<RouterFile>(`terms/${p}.json`)] as const)));
      routed = routeQuery(plan, files);
    }
    if (gen !== generation) return;
    const shards = candidateShards(manifest, filters, routed);
    current = { gen, plan, filters, manifest, names: new Map(manifest.companies), shards, next: 0, results: [], shown: PAGE };
    await load(current);
  } catch (err) {
    if (gen !== generation) return;
    setStatus('done', 'The search index did not load. Reload the page, or browse the years below.');
    console.warn('timeline search failed', err);
  }
}

/** Fetches shards until there are enough results to fill what is shown, rendering as they arrive. */
async function load(s: Search) {
  setStatus('loading', 'Searching…');
  // A company's shards are searched to the end: its count is then exact (its fact sheet's number).
  const exhaustive = !!s.filters.company;
  while ((exhaustive || s.results.length < s.shown) && s.next < s.shards.length) {
    // A small first batch gets the first results on screen sooner; later batches fetch more at once.
    const batch = s.shards.slice(s.next, s.next + (s.next === 0 ? 2 : PARALLEL));
    s.next += batch.length;
    const loaded = await Promise.all(
      batch.map((n) => {
        const [c, year] = s.manifest.shards[n]!;
        return getJson<Shard>(encodeURIComponent(shardFile(s.manifest.companies[c]![0], year)));
      }),
    );
    if (s.gen !== generation) return;
    for (const shard of loaded) s.results.push(...searchShard(shard, s.plan, s.filters).records);
    s.results.sort(byDateDesc);
    render(s);
  }
  render(s);
  const left = s.next < s.shards.length;
  const hidden = s.results.length > s.shown;
  if (more) more.hidden = !left && !hidden;
  const n = s.results.length;
  const count = n === 0 ? 'No facts' : n === 1 ? '1 fact' : `${n}${left ? '+' : ''} facts`;
  const shown = hidden ? ` — showing the newest ${s.shown}` : left ? ' so far' : '';
  const relaxed = s.plan.relaxed ? ' (the query was not valid search syntax, so its words were searched instead)' : '';
  setStatus('done', `${count}${shown}${relaxed}`);
}

function render(s: Search) {
  if (!list || s.gen !== generation) return;
  list.replaceChildren(...s.results.slice(0, s.shown).map((r) => renderRecord(r, s.names.get(r.c) ?? r.c)));
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
  // Typing waits for a pause; a select or a date applies at once.
  form.addEventListener('input', (e) => changed(e.target instanceof HTMLInputElement && e.target.type === 'search' ? 300 : 0));
  more?.addEventListener('click', () => {
    if (!current) return;
    current.shown += PAGE;
    void load(current);
  });
  if (FIELDS.some((k) => new URLSearchParams(location.search).get(k))) void start();
}
