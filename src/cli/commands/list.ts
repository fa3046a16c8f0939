/** `list [--status S] [--limit N] [--cursor C]`: recent requests, newest first, one line each. */
import type { PublicStatus } from '../../contracts/public-status';
import { intOption, stringOption, type Command } from '../command';
import { CliError, EXIT } from '../exit-codes';

/** Long prompts are cut so each request stays on one line. */
const PROMPT_CHARS = 60;

export const list: Command = {
  name: 'list',
  usage: '[--status STATUS] [--limit N] [--cursor CURSOR]',
  summary: 'List recent requests, newest first (the page as JSON with --json)',
  options: { status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
  async run(ctx, args) {
    if (args.positionals.length > 0) throw new CliError(`unexpected argument '${args.positionals.join(' ')}'`, EXIT.usage);
    // The status is checked by the API, whose message lists the statuses.
    const page = await ctx.api.list({ status: stringOption(args, 'status') as PublicStatus | undefined, limit: intOption(args, 'limit'), cursor: stringOption(args, 'cursor') });
    if (ctx.json) {
      ctx.output.out(JSON.stringify(page));
      return;
    }
    for (const item of page.items) {
      const prompt = item.prompt.length > PROMPT_CHARS ? `${item.prompt.slice(0, PROMPT_CHARS - 1)}…` : item.prompt;
      ctx.output.out(`${item.id}  ${item.status.padEnd(13)}  ${item.createdAt}  ${prompt}`);
    }
    if (page.items.length === 0) ctx.output.err('No requests.');
    if (page.nextCursor !== null) ctx.output.err(`More: --cursor ${page.nextCursor}`);
  },
};
