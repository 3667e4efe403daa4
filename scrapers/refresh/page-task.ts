/**
 * What runs inside a page worker thread (page-pool.ts): one page read (page-read.ts), or the
 * warm-up that loads the parser before any page's budget starts.
 */
import { readPage, type PageInput, type PageRead } from './page-read.ts';

export type PageTask = { op: 'read'; input: PageInput } | { op: 'warm' };

const WARM_PAGE = '<html><head><title>t</title></head><body><article><p>Warm up, the parser and its rules.</p></article></body></html>';

export default async function run(task: PageTask): Promise<PageRead | null> {
  if (task.op === 'read') return readPage(task.input);
  await readPage({ html: WARM_PAGE, url: 'https://warm.invalid/', feedTitle: null, feedText: null });
  // Stay busy a moment, so that the pool hands each warm-up task to a thread of its own.
  await new Promise((r) => setTimeout(r, 100));
  return null;
}
