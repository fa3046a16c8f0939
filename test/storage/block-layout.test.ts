/**
 * How a file's blocks are split into ranges: every block in exactly one
 * range, at most the ranges asked for, as even as whole blocks allow.
 */
import { describe, expect, it } from 'vitest';
import { blockId, blockLayout, blockLength, runEndByte, splitIntoRuns } from '../../src/storage/block-layout';

const MiB = 1024 * 1024;

describe('block layout', () => {
  it('splits 512 MiB of 8 MiB blocks into 4 ranges of 16 blocks, each ending on its last byte', () => {
    const layout = blockLayout(512 * MiB, 8 * MiB);
    const runs = splitIntoRuns(layout, 4);
    expect(runs).toEqual([
      { first: 0, end: 16 },
      { first: 16, end: 32 },
      { first: 32, end: 48 },
      { first: 48, end: 64 },
    ]);
    expect(runs.map((run) => runEndByte(layout, run))).toEqual([128 * MiB - 1, 256 * MiB - 1, 384 * MiB - 1, 512 * MiB - 1]);
  });

  it('covers every block once when blocks do not divide evenly, the short last block included', () => {
    const layout = blockLayout(10 * MiB + 123, MiB);
    const runs = splitIntoRuns(layout, 4);
    expect(runs).toEqual([
      { first: 0, end: 2 },
      { first: 2, end: 5 },
      { first: 5, end: 8 },
      { first: 8, end: 11 },
    ]);
    expect(blockLength(layout, 10)).toBe(123);
    expect(runEndByte(layout, { first: 8, end: 11 })).toBe(10 * MiB + 122);
  });

  it('makes no more ranges than blocks, and none for an empty file', () => {
    expect(splitIntoRuns(blockLayout(3 * MiB, 8 * MiB), 4)).toEqual([{ first: 0, end: 1 }]);
    expect(splitIntoRuns(blockLayout(0, 8 * MiB), 4)).toEqual([]);
  });

  it('names blocks by position alone, all ids of one length', () => {
    expect(Buffer.from(blockId(7), 'base64').toString()).toBe('block-00000007');
    expect(blockId(12_345).length).toBe(blockId(0).length);
  });
});
