/** Writing an export to a stream with backpressure: await each chunk when the buffer is full. */
export function writer(out: NodeJS.WritableStream): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      const ok = out.write(chunk, (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else out.once('drain', resolve);
    });
}
