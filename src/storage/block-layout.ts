/**
 * Where a file's blocks are, and how a ranged copy splits them: at most
 * `maxRanges` ranges of consecutive whole blocks, as even as whole blocks
 * allow, each fetched with one request (unless it breaks) and streamed into
 * its blocks in order.
 */

export interface BlockLayout {
  size: number;
  blockSize: number;
  blockCount: number;
}

/** Blocks [first, end) and the bytes they cover. */
export interface BlockRun {
  first: number;
  end: number;
}

export function blockLayout(size: number, blockSize: number): BlockLayout {
  return { size, blockSize, blockCount: Math.ceil(size / blockSize) };
}

export function blockStart(layout: BlockLayout, index: number): number {
  return index * layout.blockSize;
}

export function blockLength(layout: BlockLayout, index: number): number {
  return Math.min(layout.blockSize, layout.size - blockStart(layout, index));
}

/** The last byte (inclusive) of the blocks [.., end). */
export function runEndByte(layout: BlockLayout, run: BlockRun): number {
  return Math.min(layout.size, run.end * layout.blockSize) - 1;
}

export function splitIntoRuns(layout: BlockLayout, maxRanges: number): BlockRun[] {
  const count = Math.min(Math.max(1, maxRanges), layout.blockCount);
  const runs: BlockRun[] = [];
  for (let i = 0; i < count; i++) {
    // Spread the remainder over the first runs so no run is more than one block longer than another.
    const first = Math.floor((i * layout.blockCount) / count);
    const end = Math.floor(((i + 1) * layout.blockCount) / count);
    runs.push({ first, end });
  }
  return runs;
}

/** Block ids must all have the same length within a blob; the position alone makes them stable across retries. */
export function blockId(index: number): string {
  return Buffer.from(`block-${index.toString().padStart(8, '0')}`).toString('base64');
}
