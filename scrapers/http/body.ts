/**
 * Response bodies: decompression with a cap on decompressed bytes, and dropping bodies we do not want.
 */
import { Duplex, pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { FetchError } from './errors.ts';
import { headerValue, type ResponseHeaders } from './response.ts';

/**
 * Reads the body through the decoders named by Content-Encoding, counting decompressed bytes and
 * stopping as soon as the cap is passed (so a small gzip bomb costs at most `maxBytes` of memory).
 * With `headBytes`, only that many leading (decompressed) bytes are read and the rest is dropped:
 * enough to tell what a file is without downloading it.
 */
export async function readBody(body: Readable, headers: ResponseHeaders, maxBytes: number, url: string, headBytes?: number): Promise<Buffer> {
  const tooLarge = (): FetchError => new FetchError('too-large', `fetch: response body over ${maxBytes} bytes for ${url}`, { url });
  const encodings = (headerValue(headers, 'content-encoding') ?? '')
    .toLowerCase()
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'identity');
  const declaredLength = Number(headerValue(headers, 'content-length') ?? NaN);
  if (headBytes === undefined && encodings.length === 0 && declaredLength > maxBytes) {
    abandon(body);
    throw tooLarge();
  }
  let decoders: Duplex[];
  try {
    // Content-Encoding lists codings in the order they were applied; undo them last-first.
    decoders = encodings.reverse().map((encoding) => contentDecoder(encoding, url));
  } catch (err) {
    abandon(body);
    throw err;
  }
  let stream: Readable = body;
  for (const decoder of decoders) stream = pipeline(stream, decoder, ignoreError);

  const chunks: Buffer[] = [];
  let total = 0;
  let stoppedEarly = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      chunks.push(chunk);
      if (headBytes !== undefined && total >= headBytes) {
        stoppedEarly = true;
        break;
      }
      if (total > maxBytes) throw tooLarge();
    }
  } finally {
    // Leaving the loop early destroyed `stream`; make sure the socket side goes too.
    if (stoppedEarly || total > maxBytes) abandon(body);
  }
  const all = Buffer.concat(chunks, total);
  return headBytes !== undefined && all.length > headBytes ? all.subarray(0, headBytes) : all;
}

function contentDecoder(encoding: string, url: string): Duplex {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      // Lenient about a truncated trailer, as browsers are.
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress();
    case 'deflate':
      // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate; createUnzip
      // cannot tell, so we look at the first bytes ourselves.
      return inflateAuto();
    default:
      throw new FetchError('network', `fetch: unsupported Content-Encoding "${encoding}" for ${url}`, { url });
  }
}

/**
 * Inflates zlib-wrapped or raw deflate, deciding on the first chunk. Built from async iteration so
 * backpressure holds: the inflater only runs as fast as we read (which matters for a deflate bomb).
 */
function inflateAuto(): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Buffer>) {
    const chunks = source[Symbol.asyncIterator]();
    const first = await chunks.next();
    if (first.done === true) return;
    const head = first.value;
    const b0 = head[0] ?? 0;
    const zlibWrapped = (b0 & 0x0f) === 8 && ((b0 << 8) | (head[1] ?? 0)) % 31 === 0;
    const input = Readable.from(
      (async function* () {
        yield head;
        for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
      })(),
    );
    yield* pipeline(input, zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw(), ignoreError);
  });
}

/**
 * Reads and drops a body we do not want (redirect, 304, error page) so the connection can be reused;
 * bodies over 64 KB close the connection instead. Bounded by the deadline through `signal`.
 */
export async function discard(body: Dispatcher.ResponseData['body'], signal: AbortSignal): Promise<void> {
  await body.dump({ limit: 64 * 1024, signal });
}

/** Closes a body we stop reading; undici reports that as an error event, which nobody needs to hear. */
export function abandon(body: Readable): void {
  body.on('error', ignoreError);
  body.destroy();
}

export function ignoreError(): void {
  // pipeline() needs a callback; failures reach us through the stream we iterate.
}
