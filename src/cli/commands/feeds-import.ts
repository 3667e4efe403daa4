import { readFile } from 'node:fs/promises';
import { addFeeds } from '../../../db/queries/feeds.ts';
import { parseOpml } from '../../../scrapers/feeds/opml.ts';
import { FatalError } from '../../shared/errors.ts';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';

async function readInput(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new FatalError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

const command: Command = {
  name: 'feeds import',
  usage: '<file.opml>',
  details: 'Use - to read the OPML from stdin. Outlines whose URL is not http(s) are reported and skipped.',
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const xml = await readInput(ctx.args[0]!);
    let opml;
    try {
      opml = parseOpml(xml);
    } catch (err) {
      throw new FatalError(`${ctx.args[0]} is not a readable OPML file: ${(err as Error).message}`);
    }
    return withDb(ctx.config, async ({ db }) => {
      const valid = [];
      const skipped: { url: string; reason: string }[] = [];
      for (const f of opml.feeds) {
        try {
          const u = new URL(f.url);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported scheme ${u.protocol}`);
          valid.push(f);
        } catch (err) {
          skipped.push({ url: f.url, reason: (err as Error).message });
        }
      }
      const { added, existing } = await addFeeds(db, valid);
      if (ctx.json) {
        printJson(ctx, { file: ctx.args[0], found: opml.feeds.length, added: added.length, existing, skipped });
      } else {
        print(ctx, `${opml.feeds.length} feeds in ${ctx.args[0]}: ${added.length} added, ${existing} already present${skipped.length ? `, ${skipped.length} skipped` : ''}`);
        for (const s of skipped) print(ctx, `  skipped ${s.url}: ${s.reason}`);
      }
      return 0;
    });
  },
};
export default command;
