/**
 * Runs the real `factdesk` launcher in a child process. Asynchronous on purpose: the servers the
 * tests start live in the test's own process, and a spawnSync would block them from answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/factdesk.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, opts: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Starts `factdesk serve --port 0 --json …` in a child process and resolves with the process and the
 * URL it printed once it listens (rejects if it exits first). The caller kills it.
 */
export function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<{ serve: ChildProcess; url: string }> {
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    serve.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const m = /"url":\s*"([^"]+)"/.exec(buf);
      if (m) resolve({ serve, url: m[1]! });
    });
    serve.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}
