/**
 * CSV formula injection (OWASP): a feed controls outlet names, titles, speakers, quotes and evidence,
 * and a spreadsheet runs a cell that starts with = + - @ tab or CR. Through the real
 * `factdesk export facts --format csv`: every such text cell opens as text (a leading '), while the
 * numeric columns stay numbers (a net loss of -5000000 is summed, not quoted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { csvObjects, formulaCells } from '../helpers/csv.ts';
import { FORMULA, seedHostileStrings } from '../helpers/hostile-strings.ts';

const NUMERIC = ['value', 'valueHigh', 'changePct', 'start', 'end', 'confidence'];

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-csv-'));
  env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'csv.db')}` };
  await seedHostileStrings(env.DATABASE_URL!);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('neutralises formula-leading text cells and keeps negative numbers numeric', async () => {
  const r = await runCli(['export', 'facts', '--format', 'csv'], env);
  expect(r.code, r.stderr).toBe(0);
  expect(formulaCells(r.stdout, NUMERIC)).toEqual([]);
  const rows = csvObjects(r.stdout);
  const loss = rows.find((x) => x.id === 'f-loss')!;
  expect(loss.source_outlet).toBe(`'${FORMULA.outlet}`);
  expect(loss.companyName).toBe(`'${FORMULA.companyName}`);
  expect(loss.label).toBe(`'${FORMULA.label}`);
  expect(loss.statement).toBe(`'${FORMULA.statement}`);
  expect(loss.evidence).toBe(`'${FORMULA.evidence}`);
  expect(loss.value).toBe('-5000000');
  expect(loss.changePct).toBe('-12.5');
  const quote = rows.find((x) => x.id === 'f-quote')!;
  expect(quote.speaker).toBe(`'${FORMULA.speaker}`);
  expect(quote.quote).toBe(`'${FORMULA.quote}`);
  // Ordinary text is left exactly as it was.
  expect(rows.find((x) => x.id === 'long-val')!.kind).toBe('valuation');
  // The same writer serves one company.
  const one = await runCli(['export', 'facts', '--format', 'csv', '--company', 'formula-inc'], env);
  expect(formulaCells(one.stdout, NUMERIC)).toEqual([]);
  expect(csvObjects(one.stdout).map((x) => x.id).sort()).toEqual(['f-loss', 'f-quote']);
});
