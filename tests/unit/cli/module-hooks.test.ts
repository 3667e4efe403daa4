/**
 * bin/module-hooks.js resolves relative imports inside ES-module packages itself. It must conclude
 * what Node concludes: the same module (one instance, whether reached relatively or through the
 * package's exports, through a symlinked package folder too), CommonJS where a nested package.json
 * says so, and a clear error for a missing file. Each case runs in a fresh Node with the hooks, and
 * once without, so the expected output is Node's own.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadStart } from '../../../src/shared/worker-options.ts';

const run = promisify(execFile);
const HOOKS = fileURLToPath(new URL('../../../bin/module-hooks.js', import.meta.url));
let dir: string;

function write(rel: string, text: string) {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-hooks-'));
  // An ES-module package in a node_modules folder that another folder links to (as each site
  // release's node_modules links to the project's).
  write('app/node_modules/pkg/package.json', JSON.stringify({ name: 'pkg', type: 'module', exports: { '.': './index.js', './lib/*': './lib/*' } }));
  write('app/node_modules/pkg/index.js', "import { n } from './lib/count.js';\nimport { tag } from '../pkg/lib/tag.js';\nimport legacy from './legacy/old.js';\nexport const seen = [n(), tag, legacy.kind];\n");
  write('app/node_modules/pkg/lib/count.js', "let calls = 0;\nexport const n = () => ++calls;\n");
  write('app/node_modules/pkg/lib/tag.js', "export const tag = import.meta.url.endsWith('/app/node_modules/pkg/lib/tag.js') ? 'real path' : import.meta.url;\n");
  // A CommonJS corner inside the ES-module package: Node goes by the nearest package.json.
  write('app/node_modules/pkg/legacy/package.json', JSON.stringify({ type: 'commonjs' }));
  write('app/node_modules/pkg/legacy/old.js', "module.exports = { kind: 'commonjs' };\n");
  write('app/node_modules/pkg/broken.js', "import './lib/missing.js';\n");
  mkdirSync(path.join(dir, 'release'), { recursive: true });
  symlinkSync(path.join(dir, 'app/node_modules'), path.join(dir, 'release/node_modules'), 'dir');
  write(
    'release/main.mjs',
    "import { seen } from 'pkg';\nimport { n } from 'pkg/lib/count.js';\nconsole.log(JSON.stringify({ seen, again: n(), hooks: Boolean(globalThis[Symbol.for('factdesk.module-hooks')]) }));\n",
  );
  write('release/broken.mjs', "await import('./node_modules/pkg/broken.js');\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function node(file: string, hooks: boolean): Promise<{ out: string; err: string; ok: boolean }> {
  const args = [...(hooks ? ['--import', HOOKS] : []), path.join(dir, 'release', file)];
  try {
    const { stdout, stderr } = await run(process.execPath, args);
    return { out: stdout.trim(), err: stderr, ok: true };
  } catch (e) {
    const err = e as { stdout: string; stderr: string };
    return { out: err.stdout.trim(), err: err.stderr, ok: false };
  }
}

describe('the CLI module hooks', () => {
  it('load what Node loads: one instance of a module however it is reached, the real path, CommonJS where the nearest package.json says so', async () => {
    const [withHooks, without] = await Promise.all([node('main.mjs', true), node('main.mjs', false)]);
    expect(without.ok).toBe(true);
    expect(JSON.parse(without.out)).toEqual({ seen: [1, 'real path', 'commonjs'], again: 2, hooks: false });
    expect(JSON.parse(withHooks.out)).toEqual({ seen: [1, 'real path', 'commonjs'], again: 2, hooks: true });
  });

  it('fail on a missing file with an error that names it', async () => {
    const r = await node('broken.mjs', true);
    expect(r.ok).toBe(false);
    expect(r.err).toMatch(/ERR_MODULE_NOT_FOUND|ENOENT/);
    expect(r.err).toContain(path.join('pkg', 'lib', 'missing.js'));
  });

  it('are registered in the threads of a process that has them, before their module loads, and tasks still run', async () => {
    const pool = (hooked: boolean) => `
      ${hooked ? `await import(${JSON.stringify(pathToFileURL(HOOKS).href)});` : ''}
      const { CpuPool } = await import(${JSON.stringify(new URL('../../../src/shared/cpu-pool.ts', import.meta.url).href)});
      const pool = new CpuPool({ filename: ${JSON.stringify(new URL('../../helpers/cpu-pool-task.ts', import.meta.url).href)}, threads: 1, timeoutError: (ms) => new Error('over ' + ms) });
      console.log(await pool.run({ op: 'hooks', ms: 0 }, { timeoutMs: 5000 }), await pool.run({ op: 'spin', ms: 5 }, { timeoutMs: 5000 }));
      await pool.close();`;
    const go = async (hooked: boolean) => (await run(process.execPath, ['--input-type=module', '-e', pool(hooked)])).stdout.trim();
    expect(await go(true)).toBe('hooks true spin 5');
    expect(await go(false)).toBe('hooks false spin 5');
  });

  it('fail a thread whose module does not load with that module’s error; in a pool, each task with it', async () => {
    const missing = JSON.stringify(pathToFileURL(path.join(dir, 'release', 'no-such-module.mjs')).href);
    const hooks = `await import(${JSON.stringify(pathToFileURL(HOOKS).href)});`;
    // From files: a worker inherits the parent's execArgv, and --input-type is not one it takes.
    write('release/start-worker.mjs', `${hooks}
      const { Worker } = await import('node:worker_threads');
      const { threadStart } = await import(${JSON.stringify(new URL('../../../src/shared/worker-options.ts', import.meta.url).href)});
      const s = threadStart(${missing});
      const w = new Worker(new URL(s.filename), { workerData: s.workerData });
      w.on('error', (e) => console.log('error:', e.message));
      w.on('exit', (code) => console.log('exit', code));`);
    write('release/start-pool.mjs', `${hooks}
      const { CpuPool } = await import(${JSON.stringify(new URL('../../../src/shared/cpu-pool.ts', import.meta.url).href)});
      const pool = new CpuPool({ filename: ${missing}, threads: 1, timeoutError: (ms) => new Error('over ' + ms) });
      for (const n of [1, 2]) await pool.run({ n }, { timeoutMs: 5000 }).then(() => console.log('ran', n), (e) => console.log('task', n, 'failed:', e.message));
      await pool.close();
      console.log('closed');`);
    const [lone, pooled] = await Promise.all([run(process.execPath, [path.join(dir, 'release', 'start-worker.mjs')]), run(process.execPath, [path.join(dir, 'release', 'start-pool.mjs')])]);
    expect(lone.stdout).toMatch(/^error: .*no-such-module\.mjs/m);
    expect(lone.stdout).toMatch(/^exit 1$/m);
    expect(pooled.stdout).toMatch(/^task 1 failed: .*no-such-module\.mjs/m);
    expect(pooled.stdout).toMatch(/^task 2 failed: .*no-such-module\.mjs/m);
    expect(pooled.stdout).toMatch(/^closed$/m);
    expect(pooled.stderr).not.toMatch(/Unhandled|unhandled/);
  });

  it('start a thread in its own module outside the CLI, and in the entry that registers them inside it', () => {
    const key = Symbol.for('factdesk.module-hooks');
    const g = globalThis as { [key]?: string };
    expect(threadStart('file:///m/task.ts', { a: 1 })).toEqual({ filename: 'file:///m/task.ts', workerData: { a: 1 } });
    g[key] = 'file:///x/module-hooks.js';
    try {
      const s = threadStart('file:///m/task.ts', { a: 1 });
      expect(s.filename).toMatch(/\/bin\/thread-entry\.js$/);
      expect(s.workerData).toEqual({ a: 1, factdeskThreadModule: 'file:///m/task.ts' });
      expect(threadStart('file:///m/task.ts', {}, { pool: true }).workerData).toEqual({ factdeskThreadModule: 'file:///m/task.ts', factdeskThreadPool: true });
    } finally {
      delete g[key];
    }
  });
});
