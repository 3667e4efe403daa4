/**
 * Writing an export to a stream with backpressure: wait for 'drain' when the buffer is full.
 *
 * No per-write callback on purpose: a callback is queued with process.nextTick, and an export loop
 * that only awaits already-resolved promises (the embedded driver answers synchronously) never lets
 * that queue run — 100k facts kept ~150 MB of chunks alive until the end. Errors arrive as 'error'.
 */
export function writer(out: NodeJS.WritableStream): (chunk: string) => Promise<void> {
  let failed: Error | null = null;
  out.on('error', (err: Error) => (failed = err));
  return (chunk) => {
    if (failed) return Promise.reject(failed);
    if (out.write(chunk)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        out.off('drain', onDrain);
        out.off('error', onError);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => done();
      const onError = (err: Error) => done(err);
      out.once('drain', onDrain);
      out.once('error', onError);
    });
  };
}
