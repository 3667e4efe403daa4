import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REAL_DIR, REPO_ROOT, loadGold } from '../../../src/extract/eval/run.ts';

describe('loadGold', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-gold-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves the real set beside the repo, not against the working directory', () => {
    expect(REAL_DIR).toBe(path.resolve(REPO_ROOT, '..', 'shared/eval/real'));
  });

  it('says which set is missing', () => {
    expect(() => loadGold(path.join(dir, 'nope'))).toThrow(/gold set not found: .*nope/);
  });

  it('names a file that is not JSON, or not a gold article', () => {
    writeFileSync(path.join(dir, 'a.json'), '{ "id": ');
    expect(() => loadGold(dir)).toThrow(/a\.json: not JSON/);
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ id: 'a', source: 'real', title: 't', outlet: 'o', publishedAt: '2025-01-01', url: null, text: 'x', facts: [{ kind: 'revenues', company: 'acme', value: 1, unit: 'USD', asOf: null, evidence: 'x' }] }));
    expect(() => loadGold(dir)).toThrow(/a\.json: not a gold article[\s\S]*kind/);
  });
});
