/**
 * Search as a visitor meets it, in Debian Chromium: open a search URL cold (fresh browser context, no
 * cache), and measure the bytes transferred from navigation until the first result is in the list,
 * and the time that took. Bytes come from the DevTools protocol (Network.loadingFinished's
 * encodedDataLength: what went over the wire, headers included); requests of dedicated workers, which
 * the page's session does not see, come from Playwright's request events (the same figures). A request
 * counts when it finished before the first result.
 * "Search bytes" are all of them except the page itself (its HTML document, stylesheets, favicon).
 *
 * The first result is detected by a MutationObserver installed before the page's scripts: a result
 * item in the list that was not there when parsing finished (the timeline page already lists the
 * newest facts statically), while the status element says loading or done.
 */
import http from 'node:http';
import type { Browser, CDPSession } from 'playwright-core';
import { median } from '../lib/report.ts';

export interface SearchCase {
  /** Row label, e.g. "timeline: common word". */
  name: string;
  /** Path and query, e.g. "/timeline/?q=revenue". */
  path: string;
  list: string;
  item: string;
  status: string;
}

export interface RequestSeen {
  url: string;
  type: string;
  bytes: number;
  /** ms after navigation start when it finished */
  at: number;
  page: boolean;
}

export interface SearchMeasure {
  name: string;
  path: string;
  /** Bytes over the wire before the first result (all requests). */
  totalBytes: number;
  /** The same without the page's HTML and CSS. */
  searchBytes: number;
  /** Median over runs, ms from navigation start; null when no result appeared. */
  firstResultMs: number | null;
  doneMs: number | null;
  runsMs: (number | null)[];
  /** Items listed when the status said done. */
  results: number;
  state: string | null;
  requests: RequestSeen[];
  error?: string;
}

const initScript = (c: SearchCase) => `(() => {
  const LIST = ${JSON.stringify(c.list)}, ITEM = ${JSON.stringify(c.item)}, STATUS = ${JSON.stringify(c.status)};
  const b = (window.__bench = { first: null, done: null, count: 0, state: null });
  const statics = new WeakSet();
  document.addEventListener('readystatechange', () => {
    // 'interactive' fires after parsing and before deferred and module scripts run.
    if (document.readyState !== 'interactive') return;
    const l = document.querySelector(LIST);
    if (l) for (const n of l.querySelectorAll(ITEM)) statics.add(n);
  });
  const check = () => {
    const s = document.querySelector(STATUS), l = document.querySelector(LIST);
    if (!s || !l || document.readyState === 'loading') return;
    const st = s.getAttribute('data-state');
    if (b.first === null && (st === 'loading' || st === 'done')) {
      for (const n of l.querySelectorAll(ITEM)) if (!statics.has(n)) { b.first = performance.now(); break; }
    }
    if (b.done === null && (st === 'done' || st === 'error')) {
      b.done = performance.now();
      b.state = st;
      b.count = l.querySelectorAll(ITEM).length;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

/** Bytes of the body the server sends for a URL (compressed as it would be for this Accept-Encoding). */
function wireBodySize(url: string, acceptEncoding = 'gzip, deflate, br, zstd'): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        let n = 0;
        res.on('data', (d: Buffer) => (n += d.length));
        res.on('end', () => resolve(n));
        res.on('error', () => resolve(0));
      })
      .on('error', () => resolve(0));
  });
}

/** The page itself: its HTML, stylesheets and the favicon the browser asks for on its own. */
function isPage(url: string, type: string): boolean {
  return type === 'Document' || type === 'Stylesheet' || new URL(url).pathname === '/favicon.ico';
}

interface Rec {
  url: string;
  type: string;
  start: number;
  end?: number;
  bytes?: number;
}

/** Records the page's requests on one clock (CDP monotonic seconds, mapped to wall time). */
async function watchNetwork(cdp: CDPSession): Promise<{ recs: Map<string, Rec>; wallOffsetMs: () => number | null }> {
  const recs = new Map<string, Rec>();
  let offset: number | null = null;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (offset === null && e.type === 'Document') offset = e.wallTime * 1000 - e.timestamp * 1000;
    recs.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', start: e.timestamp });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = recs.get(e.requestId);
    if (r) r.type = e.type;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = recs.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return { recs, wallOffsetMs: () => offset };
}

async function once(browser: Browser, base: string, c: SearchCase, timeoutMs: number) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: initScript(c) });
    const cdp = await context.newCDPSession(page);
    const net = await watchNetwork(cdp);
    // A dedicated worker's requests (pagefind searches in one) are not in the page's CDP session;
    // Playwright attaches to workers, so its request events carry them (sizes from the same CDP data).
    const seen: Promise<RequestSeen | null>[] = [];
    page.on('requestfinished', (req) =>
      seen.push(
        req.sizes().then(
          async (sz) => {
            const t = req.timing();
            // A worker's own script reports no body size: ask the server what it sends for it.
            const body = sz.responseBodySize || (await wireBodySize(req.url(), (await req.allHeaders())['accept-encoding']));
            return { url: req.url(), type: req.resourceType(), bytes: body + sz.responseHeadersSize, at: t.startTime + t.responseEnd, page: false };
          },
          () => null,
        ),
      ),
    );
    await page.goto(new URL(c.path, base).href, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.waitForFunction(() => (window as unknown as { __bench: { done: number | null } }).__bench.done !== null, null, { timeout: timeoutMs, polling: 20 });
    const b = await page.evaluate(() => ({ ...(window as unknown as { __bench: { first: number | null; done: number | null; count: number; state: string | null } }).__bench, origin: performance.timeOrigin }));
    // Let the last loadingFinished events arrive.
    await page.waitForTimeout(100);
    const offset = net.wallOffsetMs() ?? 0;
    const requests: RequestSeen[] = [];
    for (const r of net.recs.values()) {
      if (r.end === undefined || r.bytes === undefined) continue;
      const at = r.end * 1000 + offset - b.origin;
      if (r.url.startsWith('data:')) continue;
      requests.push({ url: r.url, type: r.type, bytes: r.bytes, at, page: isPage(r.url, r.type) });
    }
    // Add what only Playwright saw (worker requests): URLs beyond the CDP session's count of them.
    const cdpCount = new Map<string, number>();
    for (const r of requests) cdpCount.set(r.url, (cdpCount.get(r.url) ?? 0) + 1);
    for (const r of await Promise.all(seen)) {
      if (!r || r.url.startsWith('data:')) continue;
      const n = cdpCount.get(r.url) ?? 0;
      if (n > 0) cdpCount.set(r.url, n - 1);
      else requests.push({ ...r, type: `${r.type} (worker)`, at: r.at - b.origin });
    }
    return { ...b, requests: requests.sort((x, y) => x.at - y.at) };
  } finally {
    await context.close();
  }
}

/** Every case, cold, `runs` times (median time; bytes of the first run, which do not vary). */
export async function measureSearches(browser: Browser, base: string, cases: SearchCase[], runs = 3, timeoutMs = 60_000): Promise<SearchMeasure[]> {
  const out: SearchMeasure[] = [];
  for (const c of cases) {
    try {
      const all = [];
      for (let i = 0; i < runs; i++) all.push(await once(browser, base, c, timeoutMs));
      const first = all[0]!;
      const cut = first.first ?? first.done ?? Infinity;
      const before = first.requests.filter((r) => r.at <= cut + 1);
      const search = before.filter((r) => !r.page);
      const firsts = all.map((r) => r.first);
      const got = firsts.filter((x): x is number => x !== null);
      out.push({
        name: c.name,
        path: c.path,
        totalBytes: before.reduce((s, r) => s + r.bytes, 0),
        searchBytes: search.reduce((s, r) => s + r.bytes, 0),
        firstResultMs: got.length ? median(got) : null,
        doneMs: median(all.map((r) => r.done ?? NaN).filter((x) => !Number.isNaN(x))),
        runsMs: firsts,
        results: first.count,
        state: first.state,
        requests: first.requests,
      });
    } catch (err) {
      out.push({ name: c.name, path: c.path, totalBytes: NaN, searchBytes: NaN, firstResultMs: null, doneMs: null, runsMs: [], results: 0, state: null, requests: [], error: (err as Error).message.split('\n')[0] });
    }
  }
  return out;
}
