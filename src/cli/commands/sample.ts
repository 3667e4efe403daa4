import { sampleOpmlUrl, startSampleServer } from '../../sample/server.ts';
import { UsageError } from '../../shared/errors.ts';
import { type Command, print, printJson, untilAborted } from '../command.ts';

const command: Command = {
  name: 'sample',
  details: `Runs until Ctrl-C. Point Factdesk at it with:
  factdesk feeds import <(curl -s http://127.0.0.1:4380/sample.opml) && factdesk refresh
The sample's origin is always allowed, even though private addresses are refused by default.`,
  options: { port: { type: 'string', valueName: 'port', description: 'port to listen on (default FACTDESK_SAMPLE_PORT or 4380)' } },
  async run(ctx) {
    const port = ctx.flags.port !== undefined ? Number(ctx.flags.port) : ctx.config.samplePort;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    const server = await startSampleServer({ port });
    if (ctx.json) printJson(ctx, { origin: server.origin, opml: sampleOpmlUrl(server.origin) });
    else {
      print(ctx, `sample outlet on ${server.origin}/`);
      print(ctx, `feeds (OPML): ${sampleOpmlUrl(server.origin)}`);
      print(ctx, 'Ctrl-C to stop');
    }
    await untilAborted(ctx.signal);
    await server.close();
    return 0;
  },
};
export default command;
