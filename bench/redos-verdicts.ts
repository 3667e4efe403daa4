/**
 * npm run redos:verdicts — runs recheck on every regex in the text-handling code and records the
 * verdicts in tests/unit/redos-verdicts.json for tests/unit/redos.test.ts (which analyses any pattern
 * missing from the file itself, so the file only saves time). Takes a few minutes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyse, verdictKey, VERDICTS_FILE, type Verdict } from '../tests/helpers/redos.ts';
import { regexesUnder, TEXT_DIRS } from '../tests/helpers/regexes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const found = regexesUnder(root, TEXT_DIRS).filter((r) => r.source !== null);
const todo = new Map<string, { source: string; flags: string; where: string }>();
for (const r of found) todo.set(verdictKey(r.source!, r.flags), { source: r.source!, flags: r.flags, where: `${r.file}:${r.line}` });

const out: Record<string, Verdict & { where: string }> = {};
const items = [...todo.entries()];
let next = 0;
const t0 = Date.now();
async function worker(): Promise<void> {
  while (next < items.length) {
    const [key, r] = items[next++]!;
    out[key] = { where: r.where, ...(await analyse(r.source, r.flags)) };
    if (out[key].status !== 'safe') console.log(`${out[key].status.padEnd(10)} ${r.where} ${out[key].summary}`);
  }
}
await Promise.all([worker(), worker()]);
const sorted = Object.fromEntries(Object.entries(out).sort(([, a], [, b]) => a.where.localeCompare(b.where, 'en', { numeric: true })));
writeFileSync(VERDICTS_FILE, JSON.stringify(sorted, null, 1) + '\n');
console.log(`${items.length} patterns in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${fileURLToPath(VERDICTS_FILE)}`);
