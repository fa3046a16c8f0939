/**
 * Fills buffers from a stream's chunks, a chunk that straddles two buffers
 * split between them. It takes the next chunk only when a buffer has room for
 * it, so the stream waits in the socket — not in memory — meanwhile. For
 * content read from a stream rather than straight from the socket (a body
 * read whole; an answer that does not say its length).
 */
import type { Readable } from 'node:stream';
import { SoraError } from './errors';
import type { ContentRangeReader } from './types';

export class StreamFiller {
  private readonly chunks: AsyncIterator<Buffer>;
  private leftover: Buffer | undefined;

  constructor(body: Readable) {
    this.chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Fills up to `length` bytes of `target`; fewer only when the stream ended. */
  async fillUpTo(target: Buffer, length: number): Promise<number> {
    let filled = 0;
    while (filled < length) {
      const chunk = this.leftover ?? (await this.nextChunk());
      this.leftover = undefined;
      if (chunk === undefined) break;
      const take = Math.min(chunk.length, length - filled);
      chunk.copy(target, filled, 0, take);
      filled += take;
      if (take < chunk.length) this.leftover = chunk.subarray(take);
    }
    return filled;
  }

  private async nextChunk(): Promise<Buffer | undefined> {
    const next = await this.chunks.next();
    return next.done ? undefined : next.value;
  }
}

/** A range read from a stream, with the fills of a range read from the socket: exact, or a retryable error when it ends short. */
export function streamRangeReader(body: Readable): ContentRangeReader {
  const filler = new StreamFiller(body);
  return {
    async fill(target, length) {
      const filled = await filler.fillUpTo(target, length);
      if (filled < length) throw SoraError.noAnswer('network_error', `the body ended ${length - filled} bytes short of the ${length} waited for`);
    },
    close() {
      body.destroy();
    },
  };
}
