/**
 * The company list, enhanced: the column headings (links to the pre-sorted pages, which work without
 * this script) sort the table in place, with aria-sort and the caption kept true, and the address
 * changes to the pre-sorted page's, so the order can be linked and reloaded. A filter box narrows the
 * rows by name; what is typed goes in ?q= so a filtered list can be shared. The order itself comes
 * from src/lib/site/companies-sort.ts, the same function the build sorted the pages with.
 */
import {
  compareRows,
  describeView,
  nameMatches,
  nextView,
  SORT_KEYS,
  sortPath,
  viewOfPath,
  type SortFields,
  type SortKey,
  type SortView,
} from '../lib/site/companies-sort.ts';

const table = document.querySelector<HTMLTableElement>('#companies-table');
const body = table?.tBodies[0];
const caption = document.querySelector<HTMLElement>('#companies-caption');
const form = document.querySelector<HTMLFormElement>('#companies-filter');
const input = document.querySelector<HTMLInputElement>('#companies-q');
const status = document.querySelector<HTMLElement>('#companies-status');

function isKey(k: string | undefined): k is SortKey {
  return (SORT_KEYS as readonly string[]).includes(k ?? '');
}

/** The sort fields a row was rendered with (data-* attributes written by the build). */
function fieldsOf(tr: HTMLTableRowElement): SortFields {
  const d = tr.dataset;
  const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));
  return {
    name: d.name ?? '',
    slug: d.slug ?? '',
    facts: num(d.facts) ?? 0,
    currency: d.currency || null,
    valuation: num(d.valuation),
    reported: d.reported || null,
  };
}

if (table && body) {
  const rows = Array.from(body.rows).map((tr) => ({ tr, f: fieldsOf(tr) }));
  const headers = Array.from(table.tHead?.rows[0]?.cells ?? []).filter((th) => isKey(th.dataset.key));
  const key = table.dataset.sortKey;
  let view: SortView = { key: isKey(key) ? key : 'name', dir: table.dataset.sortDir === 'desc' ? 'desc' : 'asc' };

  const apply = (v: SortView) => {
    view = v;
    const sorted = [...rows].sort((a, b) => compareRows(a.f, b.f, v));
    body.append(...sorted.map((r) => r.tr)); // re-appending moves each row: the table ends in the new order
    for (const th of headers) {
      const k = th.dataset.key as SortKey;
      const here = k === v.key;
      if (here) th.setAttribute('aria-sort', v.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      const a = th.querySelector<HTMLAnchorElement>('a.sort');
      if (a) a.href = sortPath(nextView(v, k)) + location.search;
      const mark = th.querySelector<HTMLElement>('.sort-mark');
      if (mark) mark.textContent = here ? (v.dir === 'asc' ? ' ▲' : ' ▼') : '';
    }
    if (caption) caption.textContent = describeView(v);
    table.dataset.sortKey = v.key;
    table.dataset.sortDir = v.dir;
  };

  const filter = (q: string) => {
    let shown = 0;
    for (const r of rows) {
      const ok = nameMatches(r.f.name, q);
      r.tr.hidden = !ok;
      if (ok) shown++;
    }
    if (status) status.textContent = q.trim() ? `${shown} of ${rows.length} companies match “${q.trim()}”.` : '';
  };

  table.tHead?.addEventListener('click', (e) => {
    const a = (e.target as Element).closest<HTMLAnchorElement>('a.sort');
    const th = a?.closest<HTMLTableCellElement>('th');
    if (!a || !th || !isKey(th.dataset.key) || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const next = nextView(view, th.dataset.key);
    apply(next);
    history.pushState(null, '', sortPath(next) + location.search);
  });

  // Back and Forward between orders: the address says which order to show.
  window.addEventListener('popstate', () => {
    const v = viewOfPath(location.pathname);
    if (v) apply(v);
    const q = new URLSearchParams(location.search).get('q') ?? '';
    if (input) input.value = q;
    filter(q);
  });

  if (form && input) {
    form.hidden = false; // the filter needs this script, so it only appears with it
    input.value = new URLSearchParams(location.search).get('q') ?? '';
    input.addEventListener('input', () => {
      filter(input.value);
      const url = new URL(location.href);
      if (input.value.trim()) url.searchParams.set('q', input.value.trim());
      else url.searchParams.delete('q');
      history.replaceState(null, '', url);
      // The headings' links carry the filter along to the other orders.
      apply(view);
    });
    form.addEventListener('submit', (e) => e.preventDefault());
    filter(input.value);
    apply(view);
  }
}
