/** `cancel ID`: asks a running request to stop; one that has finished is refused by the API (exit 3). */
import { onePositional, type Command } from '../command';

export const cancel: Command = {
  name: 'cancel',
  usage: 'ID',
  summary: 'Cancel a running request',
  options: {},
  async run(ctx, args) {
    const id = onePositional(args, 'request id');
    const answer = await ctx.api.cancel(id);
    ctx.output.out(ctx.json ? JSON.stringify(answer) : `Cancel requested for ${id}: it ends cancelled once Sora's job is stopped.`);
  },
};
