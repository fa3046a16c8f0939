/**
 * The request index on Azurite's table service: records applied by revision
 * whatever order they arrive in, one row per view for each request, pages
 * newest first with cursors, the status, batch and 7-day filters.
 */
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicStatus } from '../../src/contracts/public-status';
import { END_REVISION, indexedPrompt, INDEXED_PROMPT_LENGTH, type RequestIndexEntry } from '../../src/contracts/request-index';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { listBatchRequests, listVideoRequests, type ListOutcome } from '../../src/requests/list-video-requests';
import { recordRequest } from '../../src/storage/request-index';
import { ensureTable } from '../../src/storage/table-client';

let azurite: Azurite;
let tableCount = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.close();
});

/** A table of its own for each test. */
async function freshTable(): Promise<TableClient> {
  tableCount++;
  const table = TableClient.fromConnectionString(azurite.connectionString, `index${String(tableCount)}`, { allowInsecureConnection: true });
  await ensureTable(table);
  return table;
}

const NOW = new Date('2026-12-02T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function entry(requestId: string, status: PublicStatus, revision: number, change: Partial<RequestIndexEntry> = {}): RequestIndexEntry {
  return { requestId, acceptedAt: minutesAgo(10), prompt: `Prompt of ${requestId}`, status, updatedAt: minutesAgo(5), batchId: null, revision, ...change };
}

/** Every row the table holds, as `rowKey → status`. */
async function rowsOf(table: TableClient): Promise<Record<string, string>> {
  const rows: Record<string, string> = {};
  for await (const row of table.listEntities<{ status: string }>()) rows[row.rowKey ?? ''] = row.status;
  return rows;
}

function page(outcome: ListOutcome): Extract<ListOutcome, { kind: 'page' }> {
  if (outcome.kind !== 'page') throw new Error(`not a page: ${JSON.stringify(outcome)}`);
  return outcome;
}

/** Every id of a listing, following its cursors. */
async function allIds(list: (cursor: string | undefined) => Promise<ListOutcome>): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const next = page(await list(cursor));
    pages.push(next.items.map((i) => i.id));
    cursor = next.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

describe('recording', () => {
  it('keeps the end when the start arrives after it, and a redelivered record changes nothing', async () => {
    const table = await freshTable();
    expect(await recordRequest(table, entry('late-start', 'succeeded', END_REVISION, { updatedAt: minutesAgo(1) }))).toBe('recorded');
    expect(await recordRequest(table, entry('late-start', 'pending', 1))).toBe('superseded');
    expect(await recordRequest(table, entry('late-start', 'running', 3))).toBe('superseded');
    expect(await recordRequest(table, entry('late-start', 'succeeded', END_REVISION, { updatedAt: minutesAgo(1) }))).toBe('superseded');

    const rows = await rowsOf(table);
    expect(Object.values(rows)).toEqual(['succeeded', 'succeeded']);
    expect(page(await listVideoRequests(table, { limit: 10 }, NOW)).items).toEqual([
      {
        id: 'late-start',
        status: 'succeeded',
        prompt: 'Prompt of late-start',
        createdAt: minutesAgo(10),
        updatedAt: minutesAgo(1),
        links: { self: '/api/videos/late-start', cancel: '/api/videos/late-start/cancel' },
      },
    ]);
    expect(page(await listVideoRequests(table, { status: 'pending', limit: 10 }, NOW)).items).toEqual([]);
  });

  it('moves a request from status to status: one row in the status view, the old one gone', async () => {
    const table = await freshTable();
    await recordRequest(table, entry('moving', 'pending', 1));
    await recordRequest(table, entry('moving', 'queued', 2));
    expect(page(await listVideoRequests(table, { status: 'pending', limit: 10 }, NOW)).items).toEqual([]);
    expect(page(await listVideoRequests(table, { status: 'queued', limit: 10 }, NOW)).items.map((i) => i.id)).toEqual(['moving']);

    await recordRequest(table, entry('moving', 'running', 3));
    await recordRequest(table, entry('moving', 'failed', END_REVISION));
    expect(Object.values(await rowsOf(table))).toEqual(['failed', 'failed']);
  });

  it('settles on the highest revision when records of one request race each other', async () => {
    const table = await freshTable();
    const statuses: PublicStatus[] = ['pending', 'submitted', 'queued', 'running', 'processing', 'storing'];
    const outcomes = await Promise.all([
      ...statuses.map((status, i) => recordRequest(table, entry('racing', status, i + 1))),
      recordRequest(table, entry('racing', 'succeeded', END_REVISION)),
      ...statuses.map((status, i) => recordRequest(table, entry('racing', status, i + 1))),
    ]);

    expect(outcomes).toContain('recorded');
    expect(Object.values(await rowsOf(table))).toEqual(['succeeded', 'succeeded']);
  });

  it('adds a batch row when the request belongs to a batch, kept in step with the status', async () => {
    const table = await freshTable();
    await recordRequest(table, entry('in-batch', 'pending', 1, { batchId: 'batch-1' }));
    await recordRequest(table, entry('in-batch', 'cancelled', END_REVISION, { batchId: 'batch-1' }));
    const rows = await rowsOf(table);
    expect(Object.keys(rows).map((key) => key.split('|')[0])).toEqual(['a', 'b', 's']);
    expect(Object.values(rows)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('keeps the first 30,000 UTF-16 code units of a longer prompt, never half a surrogate pair', () => {
    expect(indexedPrompt('A short prompt')).toBe('A short prompt');
    expect(indexedPrompt('x'.repeat(40_000))).toHaveLength(INDEXED_PROMPT_LENGTH);
    const emojiAcrossTheCut = `${'x'.repeat(INDEXED_PROMPT_LENGTH - 1)}🎬 and more`;
    expect(indexedPrompt(emojiAcrossTheCut)).toBe('x'.repeat(INDEXED_PROMPT_LENGTH - 1));
  });
});

describe('reading', () => {
  it('pages newest first across days with cursors, filters by status, batch and the 7-day window', async () => {
    const table = await freshTable();
    // 30 requests an hour apart (so across two days), every third failed, every fifth in a batch; one 8 days old.
    const ids = Array.from({ length: 30 }, (_, i) => `req-${String(i).padStart(2, '0')}`);
    await Promise.all(
      ids.map((id, i) =>
        recordRequest(table, entry(id, i % 3 === 0 ? 'failed' : 'succeeded', END_REVISION, { acceptedAt: minutesAgo(60 * i + 1), ...(i % 5 === 0 ? { batchId: 'nightly' } : {}) })),
      ),
    );
    await recordRequest(table, entry('too-old', 'failed', END_REVISION, { acceptedAt: minutesAgo(8 * 24 * 60) }));

    const pages = await allIds((cursor) => listVideoRequests(table, { limit: 7, ...(cursor ? { cursor } : {}) }, NOW));
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(pages.flat()).toEqual(ids);

    const failed = await allIds((cursor) => listVideoRequests(table, { status: 'failed', limit: 4, ...(cursor ? { cursor } : {}) }, NOW));
    expect(failed).toEqual([
      ['req-00', 'req-03', 'req-06', 'req-09'],
      ['req-12', 'req-15', 'req-18', 'req-21'],
      ['req-24', 'req-27'],
    ]);

    const nightly = await allIds((cursor) => listBatchRequests(table, 'nightly', { limit: 4, ...(cursor ? { cursor } : {}) }, NOW));
    expect(nightly).toEqual([['req-00', 'req-05', 'req-10', 'req-15'], ['req-20', 'req-25']]);
    expect(page(await listBatchRequests(table, 'other', { limit: 4 }, NOW)).items).toEqual([]);
  });

  it('refuses a cursor it did not hand out', async () => {
    const table = await freshTable();
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of ['not-a-cursor', cursorOf({ createdAt: 'yesterday', id: 'a' }), cursorOf({ createdAt: NOW.toISOString(), id: '../x' }), cursorOf(null), cursorOf([1])]) {
      expect(await listVideoRequests(table, { limit: 5, cursor }, NOW)).toEqual({ kind: 'bad_cursor' });
    }
  });
});
