/**
 * Fills blocks from a body's chunks, a chunk that straddles two blocks split
 * between them. It takes the next chunk only when a block has room for it, so
 * a body waits in the socket — not in memory — while no block is free. (The
 * store copy reads ranges straight into its blocks; this is for a body read
 * whole, when a source serves no ranges.)
 */
import type { Readable } from 'node:stream';

export class ChunkReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private leftover: Buffer | undefined;

  constructor(body: Readable) {
    this.chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Fills up to `length` bytes of `target`; fewer only when the body ended. */
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
