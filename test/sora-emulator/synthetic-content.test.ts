/**
 * The emulator's synthetic video (the contentSize fault) for large-transfer
 * tests: every byte depends on its position, so a copy that misplaces a block
 * gets another SHA-256; ranges are slices of the same bytes.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from './support';

let h: Harness;
let generation: string;
const path = () => `/video/generations/${generation}/content/video`;
const SIZE = 3 * 1024 * 1024 + 11;

beforeAll(async () => {
  h = await startHarness();
  const job = (await (await h.json('/video/generations/jobs', jobBody())).json()) as { id: string };
  h.clock.advance(10);
  const done = (await (await h.call(`/video/generations/jobs/${job.id}`)).json()) as { generations: { id: string }[] };
  generation = done.generations[0]?.id ?? '';
});
afterEach(() => {
  h.emulator.faults.clear();
});
afterAll(async () => {
  await h.close();
});

async function bytes(init?: RequestInit): Promise<{ status: number; body: Buffer }> {
  const response = await h.call(path(), init);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

describe('the synthetic video', () => {
  it('serves ranges that are slices of the whole, and no two 1 MiB blocks alike', async () => {
    h.emulator.faults.add({ kind: 'contentSize', bytes: SIZE });
    const whole = await bytes();
    expect(whole.status).toBe(200);
    expect(whole.body.length).toBe(SIZE);
    const range = await bytes({ headers: { range: 'bytes=1048570-2097160' } });
    expect(range.status).toBe(206);
    expect(range.body.equals(whole.body.subarray(1_048_570, 2_097_161))).toBe(true);

    const MiB = 1024 * 1024;
    const blocks = [0, 1, 2].map((i) => whole.body.subarray(i * MiB, (i + 1) * MiB));
    const digests = new Set(blocks.map((block) => createHash('sha256').update(block).digest('hex')));
    expect(digests.size).toBe(3);
    // Swapping two blocks changes the whole file's SHA-256.
    const swapped = Buffer.concat([blocks[1] ?? Buffer.alloc(0), blocks[0] ?? Buffer.alloc(0), whole.body.subarray(2 * MiB)]);
    expect(createHash('sha256').update(swapped).digest('hex')).not.toBe(createHash('sha256').update(whole.body).digest('hex'));
  });

  it('is the same bytes at every download', async () => {
    h.emulator.faults.add({ kind: 'contentSize', bytes: SIZE });
    const [first, second] = [await bytes(), await bytes()];
    expect(second.body.equals(first.body)).toBe(true);
  });
});
