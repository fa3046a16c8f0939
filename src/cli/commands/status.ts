/** `status ID`: where a request is, with its videos' sizes and checksums once done. */
import { onePositional, type Command } from '../command';
import { viewText } from '../view-text';

export const status: Command = {
  name: 'status',
  usage: 'ID',
  summary: "Show a request's status (the API's view with --json)",
  options: {},
  async run(ctx, args) {
    const view = await ctx.api.get(onePositional(args, 'request id'));
    ctx.output.out(ctx.json ? JSON.stringify(view) : viewText(view));
  },
};
