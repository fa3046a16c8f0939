/**
 * `batch FILE.jsonl [--id ID] [--wait]`: starts a batch from a JSON Lines
 * file, one POST /api/videos JSON body per line (so the API's `items[i]` is
 * line i+1); with --wait follows the batch until it ends, showing its counts
 * (a bar on a terminal, a line per change otherwise). Ends non-zero (5) when
 * the batch ended with items that did not succeed.
 */
import { readFile } from 'node:fs/promises';
import { SingleBar, Presets } from 'cli-progress';
import type { BatchView } from '../../requests/read-batch-request';
import { flag, onePositional, stringOption, type Command } from '../command';
import type { CommandContext } from '../context';
import { CliError, EXIT } from '../exit-codes';

const ENDED: readonly string[] = ['completed', 'cancelled', 'failed'];

export const batch: Command = {
  name: 'batch',
  usage: 'FILE.jsonl [--id ID] [--wait]',
  summary: 'Start a batch: one POST /api/videos JSON body per line (items[i] is line i+1); --wait follows it to its end',
  options: { id: { type: 'string' }, wait: { type: 'boolean' } },
  async run(ctx, args) {
    const items = await readItems(onePositional(args, 'the JSON Lines file'));
    const id = stringOption(args, 'id');
    const started = await ctx.api.createBatch({ items, ...(id === undefined ? {} : { id }) });
    if (!flag(args, 'wait')) {
      ctx.output.out(ctx.json ? JSON.stringify(started) : `${started.id}  ${started.status}  ${String(started.total)} item(s)`);
      return;
    }
    ctx.output.err(`Batch ${started.id}: following it until it ends…`);
    const view = await followBatch(ctx, started.id);
    ctx.output.out(ctx.json ? JSON.stringify(view) : `${view.id}  ${view.status}  ${countsText(view)}`);
    if (view.status !== 'completed' || view.counts.succeeded !== view.total) {
      throw new CliError(`Batch ${view.id} ended ${view.status}: ${String(view.counts.succeeded)} of ${String(view.total)} item(s) succeeded.`, EXIT.noVideos);
    }
  },
};

/** Every line a JSON value; blank lines only at the end (a blank line inside would shift every later item's number). */
async function readItems(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
  }
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return lines.map((line, index) => {
    if (line.trim() === '') throw new CliError(`${file} line ${String(index + 1)} is empty: every line is one request`, EXIT.usage);
    try {
      return JSON.parse(line) as unknown;
    } catch (error) {
      throw new CliError(`${file} line ${String(index + 1)} is not JSON: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
    }
  });
}

interface Reporter {
  update(view: BatchView): void;
  stop(): void;
}

async function followBatch(ctx: CommandContext, id: string): Promise<BatchView> {
  const reporter = ctx.output.isTTY ? barReporter(ctx) : lineReporter(ctx);
  try {
    for (;;) {
      // One item per read: the counts cover the whole batch, and each item on a page is a lookup.
      const view = await ctx.api.getBatch(id, 1);
      reporter.update(view);
      if (ENDED.includes(view.status)) return ctx.json ? await ctx.api.getBatch(id) : view;
      await new Promise((resolve) => setTimeout(resolve, ctx.pollMs));
    }
  } finally {
    reporter.stop();
  }
}

/** Items that have ended, whatever their outcome: what the bar fills with. */
function endedItems(view: BatchView): number {
  return view.total - view.counts.pending - view.counts.running;
}

function countsText(view: BatchView): string {
  const { counts } = view;
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([state, n]) => `${String(n)} ${state}`);
  return `${String(view.total)} item(s): ${parts.join(', ')}`;
}

function barReporter(ctx: CommandContext): Reporter {
  const bar = new SingleBar({ format: ' {bar} {value}/{total} ended | {counts}', hideCursor: true, stream: ctx.output.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update: (view) => {
      if (!started) bar.start(view.total, 0, { counts: '' });
      started = true;
      bar.update(endedItems(view), { counts: countsText(view) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** One line each time the counts change. */
function lineReporter(ctx: CommandContext): Reporter {
  let last = '';
  return {
    update: (view) => {
      const line = `${view.id}: ${view.status}, ${countsText(view)}`;
      if (line === last) return;
      last = line;
      ctx.output.err(line);
    },
    stop: () => undefined,
  };
}
