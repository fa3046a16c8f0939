/** `download ID --out DIR [--wait]`: every variant of a succeeded request into DIR. */
import { flag, onePositional, stringOption, type Command } from '../command';
import { CliError, EXIT } from '../exit-codes';
import { followRequest } from '../follow';
import { saveVideos } from '../save-videos';

export const download: Command = {
  name: 'download',
  usage: 'ID --out DIR [--wait]',
  summary: "Download a request's videos into DIR as ID-VARIANT.mp4",
  options: { out: { type: 'string' }, wait: { type: 'boolean' } },
  async run(ctx, args) {
    const id = onePositional(args, 'request id');
    const out = stringOption(args, 'out');
    if (out === undefined) throw new CliError('download needs --out DIR', EXIT.usage);
    const view = flag(args, 'wait') ? await followRequest(ctx, id) : await ctx.api.get(id);
    const saved = await saveVideos(view, out);
    if (ctx.json) ctx.output.out(JSON.stringify({ id, files: saved }));
    else for (const video of saved) ctx.output.out(`variant ${String(video.variant)}: ${video.file} (${String(video.bytes)} bytes, sha256 ${video.sha256})`);
  },
};
