/**
 * Is a port free to listen on? Asked before long work that ends in serving (`factdesk start` runs
 * the whole pipeline first), so a taken port is said at once, and said in words, not as a stack.
 */
import net from 'node:net';
import { FatalError } from '../shared/errors.ts';

/** The message for a port another program holds. */
export function portTakenMessage(host: string, port: number, flag = '--port'): string {
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return (
    `port ${port} on ${host} is taken (another factdesk start or serve may be running: is http://${shown}:${port}/ up?). ` +
    `Stop that program, or pass ${flag} 0 to pick a free port (or ${flag} <n> for another one).`
  );
}

/** Throws a FatalError that names the port when it cannot be listened on; port 0 is always free. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, () => resolve());
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new FatalError(portTakenMessage(host, port));
    if (code === 'EACCES') throw new FatalError(`port ${port} needs privileges this user does not have; pass --port 0 or a port above 1023`);
    throw err;
  } finally {
    await new Promise<void>((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()));
  }
}
