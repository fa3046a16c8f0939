/**
 * GET /api/videos reads the request index, not the task hub: 500 requests
 * recorded in the index (and none in the task hub) page through the API. The
 * recording activity, redelivered by the host's chaos after its result is
 * lost, leaves one row per view with the final status.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { PublicStatus } from '../../src/contracts/public-status';
import { END_REVISION } from '../../src/contracts/request-index';
import { createDependencies } from '../../src/dependencies';
import type { ActivityResultInfo } from '../../src/local/host';
import { startLocalStack, type LocalStack } from '../../src/local/stack';
import { recordRequest } from '../../src/storage/request-index';
import { ensureTable } from '../../src/storage/table-client';

const REDELIVERED = 'redelivered-records';

let stack: LocalStack;
let index: TableClient;
const recordRuns: ActivityResultInfo[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    timeSkipping: true,
    standalone: true,
    emulator: { log: () => undefined },
    chaos: {
      // Every record of one request loses its first result: the host runs it again, as Azure redelivers.
      loseActivityResults: (result) => {
        if (result.instanceId !== REDELIVERED || result.name !== 'recordVideoRequest') return false;
        recordRuns.push(result);
        return result.run === 1;
      },
    },
  });
  index = createDependencies(loadConfig(stack.settings)).requestIndex;
  await ensureTable(index);
});
afterAll(async () => {
  await stack.close();
});

interface ListBody {
  items: { id: string; status: string; prompt: string; createdAt: string; links: { self: string } }[];
  nextCursor: string | null;
}

async function list(query: string): Promise<ListBody> {
  const response = await fetch(`${stack.baseUrl}/api/videos?${query}`);
  if (response.status !== 200) throw new Error(`GET /api/videos?${query} answered ${String(response.status)}: ${await response.text()}`);
  return (await response.json()) as ListBody;
}

/** Follows nextCursor from the first page; returns each page's ids. */
async function pagesOf(query: string): Promise<string[][]> {
  const pages: string[][] = [];
  let body = await list(query);
  pages.push(body.items.map((i) => i.id));
  while (body.nextCursor !== null) {
    body = await list(`${query}&cursor=${body.nextCursor}`);
    pages.push(body.items.map((i) => i.id));
  }
  return pages;
}

it('pages through 500 recorded requests, newest first, filtered by status, with none of them in the task hub', async () => {
  const start = Date.now() - 60_000;
  const ids = Array.from({ length: 500 }, (_, i) => `seeded-${String(i).padStart(3, '0')}`);
  const statusOf = (i: number): PublicStatus => (i % 4 === 0 ? 'failed' : 'succeeded');
  const seeded = ids.map((id, i) => ({ id, i }));
  // 25 writers at a time; request i was accepted i seconds before the first.
  for (let from = 0; from < seeded.length; from += 25) {
    await Promise.all(
      seeded.slice(from, from + 25).map(({ id, i }) => {
        const acceptedAt = new Date(start - i * 1000).toISOString();
        return recordRequest(index, { requestId: id, acceptedAt, prompt: `Seeded prompt ${String(i)}`, status: statusOf(i), updatedAt: acceptedAt, batchId: null, revision: END_REVISION });
      }),
    );
  }
  expect(await stack.host.client.getStatusAll()).toEqual([]);

  const pages = await pagesOf('limit=100');
  expect(pages.map((p) => p.length)).toEqual([100, 100, 100, 100, 100]);
  expect(pages.flat()).toEqual(ids);

  const first = await list('limit=2');
  expect(first.items).toEqual([
    { id: 'seeded-000', status: 'failed', prompt: 'Seeded prompt 0', createdAt: new Date(start).toISOString(), updatedAt: new Date(start).toISOString(), links: { self: '/api/videos/seeded-000', cancel: '/api/videos/seeded-000/cancel' } },
    {
      id: 'seeded-001',
      status: 'succeeded',
      prompt: 'Seeded prompt 1',
      createdAt: new Date(start - 1000).toISOString(),
      updatedAt: new Date(start - 1000).toISOString(),
      links: { self: '/api/videos/seeded-001', cancel: '/api/videos/seeded-001/cancel' },
    },
  ]);

  const failed = await pagesOf('status=failed&limit=50');
  expect(failed.map((p) => p.length)).toEqual([50, 50, 25]);
  expect(failed.flat()).toEqual(ids.filter((_, i) => statusOf(i) === 'failed'));
  expect(await pagesOf('status=running')).toEqual([[]]);

  const badCursor = await fetch(`${stack.baseUrl}/api/videos?limit=10&cursor=${Buffer.from('{"createdAt":"x","id":"seeded-001"}').toString('base64url')}`);
  expect(badCursor.status).toBe(400);
  expect(badCursor.headers.get('content-type')).toContain('application/problem+json');
  expect(((await badCursor.json()) as { invalidFields: string[] }).invalidFields).toEqual(['cursor']);
  // Listing started nothing and read nothing into the task hub.
  expect(await stack.host.client.getStatusAll()).toEqual([]);
});

it('records a request once per view although every record activity ran twice', async () => {
  const response = await fetch(`${stack.baseUrl}/api/videos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // The emulator's moderation refuses this prompt: the request fails at its first submit, cheaply.
    body: JSON.stringify({ id: REDELIVERED, prompt: 'A redelivered record (forbidden)', n_seconds: 1 }),
  });
  expect(response.status).toBe(202);
  await stack.host.waitForIdle();

  // The start, `submitted` (the emulator takes the job, then fails it at moderation) and the end: each ran twice, its first result lost.
  const runsByRecord = new Map<number, number[]>();
  for (const { taskId, run } of recordRuns) runsByRecord.set(taskId, [...(runsByRecord.get(taskId) ?? []), run]);
  expect([...runsByRecord.values()]).toEqual([
    [1, 2],
    [1, 2],
    [1, 2],
  ]);
  const rows: { rowKey: string; status: string }[] = [];
  for await (const row of index.listEntities<{ status: string }>({ queryOptions: { filter: odata`id eq ${REDELIVERED}` } })) rows.push({ rowKey: row.rowKey ?? '', status: row.status });
  expect(rows.map((r) => [r.rowKey.split('|')[0], r.status])).toEqual([
    ['a', 'failed'],
    ['s', 'failed'],
  ]);
  expect((await list('status=failed&limit=1')).items.map((i) => [i.id, i.status])).toEqual([[REDELIVERED, 'failed']]);
  expect((await list('status=pending')).items).toEqual([]);
});
