/**
 * Fills blocks from a body's chunks, a chunk that straddles two blocks split
 * between them. It takes the next chunk only when a block has room for it, so
 * a body waits in the socket — not in memory — while no block is free.
 */
import type { Readable } from 'node:stream';

/** The body ended before the bytes it was asked for: a broken transfer, worth asking again. */
export class BodyCutShort extends Error {
  override name = 'BodyCutShort';
}

export class ChunkReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private leftover: Buffer | undefined;

  constructor(body: Readable) {
    this.chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Fills `target[0, length)`, or throws {@link BodyCutShort}. */
  async fill(target: Buffer, length: number): Promise<void> {
    const filled = await this.fillUpTo(target, length);
    if (filled < length) throw new BodyCutShort(`The body ended ${length - filled} bytes short of the block it was filling`);
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

  /** Whether the body has nothing more to give. */
  async atEnd(): Promise<boolean> {
    if (this.leftover !== undefined && this.leftover.length > 0) return false;
    return (await this.nextChunk()) === undefined;
  }

  private async nextChunk(): Promise<Buffer | undefined> {
    const next = await this.chunks.next();
    return next.done ? undefined : next.value;
  }
}
