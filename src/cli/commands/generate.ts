/**
 * `generate "prompt" [--size WxH] [--seconds N] [--variants N] [--api API]
 * [--image FILE] [--video FILE] [--id ID] [--wait] [--out DIR]`: asks for
 * videos; with --wait follows the request to its end, with --out (which
 * implies --wait) downloads the videos too. Only the options given are sent:
 * the API's defaults and rules apply, and its messages say what is wrong.
 */
import type { SoraApi } from '../../sora/types';
import type { CreateVideoBody } from '../api-client';
import { flag, intOption, stringOption, type Command, type CommandArgs } from '../command';
import type { CommandContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { followRequest } from '../follow';
import { mediaForm } from '../media-form';
import { saveVideos } from '../save-videos';
import { problemOfView, viewText } from '../view-text';

export const generate: Command = {
  name: 'generate',
  usage: '"PROMPT" [--size WxH] [--seconds N] [--variants N] [--api jobs|videos|openai] [--image FILE] [--video FILE] [--id ID] [--wait] [--out DIR]',
  summary: 'Ask for videos; --wait follows the request to its end, --out DIR downloads the videos (and waits)',
  options: {
    size: { type: 'string' },
    seconds: { type: 'string' },
    variants: { type: 'string' },
    api: { type: 'string' },
    image: { type: 'string' },
    video: { type: 'string' },
    id: { type: 'string' },
    wait: { type: 'boolean' },
    out: { type: 'string' },
  },
  async run(ctx, args) {
    const body = createBody(args);
    const image = stringOption(args, 'image');
    const video = stringOption(args, 'video');
    const started = image === undefined && video === undefined ? await ctx.api.create(body) : await ctx.api.createWithFiles(await mediaForm(body, { image, video }));
    const out = stringOption(args, 'out');
    if (!flag(args, 'wait') && out === undefined) {
      ctx.output.out(ctx.json ? JSON.stringify(started) : `${started.id}  ${started.status}`);
      return;
    }
    ctx.output.err(`Request ${started.id}: following it until it ends…`);
    await finish(ctx, started.id, out);
  },
};

function createBody(args: CommandArgs): CreateVideoBody {
  const prompt = args.positionals.join(' ');
  if (prompt.trim() === '') throw new CliError('missing the prompt: generate "A paper boat on a rainy street"', EXIT.usage);
  const size = stringOption(args, 'size');
  const dimensions = size === undefined ? undefined : /^(\d+)x(\d+)$/.exec(size.trim());
  if (size !== undefined && !dimensions) throw new CliError(`--size must look like 480x480 (WIDTHxHEIGHT), got '${size}'`, EXIT.usage);
  // Options not given stay undefined, which neither the JSON body nor the form sends.
  return {
    prompt,
    // The API checks the choice against the APIs the app has, and names them.
    api: stringOption(args, 'api') as SoraApi | undefined,
    id: stringOption(args, 'id'),
    width: dimensions ? Number(dimensions[1]) : undefined,
    height: dimensions ? Number(dimensions[2]) : undefined,
    n_seconds: intOption(args, 'seconds'),
    n_variants: intOption(args, 'variants'),
  };
}

async function finish(ctx: CommandContext, id: string, out: string | undefined): Promise<void> {
  const view = await followRequest(ctx, id);
  if (view.status !== 'succeeded') {
    if (ctx.json) ctx.output.out(JSON.stringify(view));
    throw new CliError(problemOfView(view), EXIT.noVideos);
  }
  const files = out === undefined ? undefined : await saveVideos(view, out);
  if (ctx.json) {
    ctx.output.out(JSON.stringify(files === undefined ? view : { ...view, files }));
    return;
  }
  ctx.output.out(viewText(view));
  for (const saved of files ?? []) ctx.output.out(`variant ${String(saved.variant)} → ${saved.file}`);
}
