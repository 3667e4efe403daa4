import type { APIRoute } from 'astro';
import { PassThrough } from 'node:stream';
import { exportFacts, writeFacts } from '../../export/facts.ts';
import { siteDb } from '../../lib/site/db.ts';

export const GET: APIRoute = async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeFacts(out, exportFacts(await siteDb()), 'ndjson');
  out.end();
  return new Response(Buffer.concat(chunks).toString('utf8'));
};
