/**
 * A build, serve or status loads only what it uses: not the LLM client (openai, ~85 ms to load) nor
 * the extract stage and the collector's HTTP client, which only collecting and extracting commands
 * need (src/cli/stages.ts). Each command module is imported in a fresh Node that records every module
 * it resolves.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const url = (rel: string) => new URL(`../../../${rel}`, import.meta.url).href;

async function loadedBy(command: string): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.add(r.url); return r; } });
    await import(${JSON.stringify(url(`src/cli/commands/${command}.ts`))});
    console.log(JSON.stringify([...seen]));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as string[];
}

const heavy = (urls: string[]) => urls.filter((u) => /\/node_modules\/openai\/|\/src\/extract\/(?:index|pipeline|llm\/|rules\/)|\/scrapers\/http\/fetcher/.test(u)).map((u) => u.replace(/^.*?\/(node_modules|src|scrapers)\//, '$1/'));

describe('command start-up', () => {
  it.each(['build', 'serve', 'status'])('%s loads neither the extract stage nor the LLM client', async (command) => {
    expect(heavy(await loadedBy(command))).toEqual([]);
  });

  it('extract does load them (the check sees what it looks for)', async () => {
    const h = heavy(await loadedBy('extract'));
    expect(h.some((u) => u.startsWith('node_modules/openai/'))).toBe(true);
    expect(h).toContain('src/extract/pipeline.ts');
  });
});
