/**
 * Reading a dropped JSON Lines file into batch items, and the batch id a file
 * runs under: what a pipeline that drops files can count on.
 */
import { describe, expect, it } from 'vitest';
import { batchIdOfFile } from '../../src/batch-files/batch-file-id';
import { MAX_BATCH_FILE_BYTES, readBatchFile } from '../../src/batch-files/read-batch-file';
import { itemRequestId, MAX_BATCH_ID_LENGTH, MAX_BATCH_ITEMS } from '../../src/contracts/batch';
import { isRequestId } from '../../src/contracts/video-request';

const SHA = 'a'.repeat(64);

describe('readBatchFile', () => {
  it('numbers items by their line, skipping blank lines, and keeps a line that is not JSON as unreadable', () => {
    const read = readBatchFile(Buffer.from('{"prompt":"one"}\r\n\n  \n{"prompt":"four"}\nnot json\n'));
    expect(read).toEqual({
      ok: true,
      drafts: [
        { item: 1, body: { prompt: 'one' } },
        { item: 4, body: { prompt: 'four' } },
        { item: 5, unreadable: [{ field: '(body)', message: expect.stringMatching(/^is not JSON \(/) as unknown }] },
      ],
    });
  });

  it('reads a file that starts with a byte order mark', () => {
    expect(readBatchFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"prompt":"x"}')]))).toEqual({ ok: true, drafts: [{ item: 1, body: { prompt: 'x' } }] });
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'is not UTF-8 text: a batch file holds one JSON request per line'],
    ['only blank lines', Buffer.from('\n \n'), 'holds no request: a batch file holds one JSON request per line'],
    ['too many lines', Buffer.from('{}\n'.repeat(MAX_BATCH_ITEMS + 1)), `holds ${MAX_BATCH_ITEMS + 1} requests; a batch takes at most ${MAX_BATCH_ITEMS}`],
    ['too many bytes', Buffer.alloc(MAX_BATCH_FILE_BYTES + 1, 0x20), `is ${MAX_BATCH_FILE_BYTES + 1} bytes; a batch file may have at most ${MAX_BATCH_FILE_BYTES} (2 MiB)`],
  ])('reports %s as a problem of the whole file', (_, content, message) => {
    expect(readBatchFile(content)).toEqual({ ok: false, problems: [{ field: '(file)', message }] });
  });
});

describe('batchIdOfFile', () => {
  it('is readable, the same for the same name and content, and new for new content or another name', () => {
    const id = batchIdOfFile('incoming/day 1.jsonl', SHA);
    expect(id).toMatch(/^incoming-day-1-[0-9a-f]{15}$/);
    expect(batchIdOfFile('incoming/day 1.jsonl', SHA)).toBe(id);
    expect(batchIdOfFile('incoming/day 1.jsonl', 'b'.repeat(64))).not.toBe(id);
    expect(batchIdOfFile('incoming/day-1.jsonl', SHA)).not.toBe(id);
  });

  it.each(['x.jsonl', '.jsonl', '___.jsonl', `${'long-name/'.repeat(20)}file.jsonl`, 'ünïcödé/☃.jsonl', '9.JSONL'])('gives %j an id whose items all pass the id rule', (name) => {
    const id = batchIdOfFile(name, SHA);
    expect(id.length).toBeLessThanOrEqual(MAX_BATCH_ID_LENGTH);
    expect(isRequestId(id)).toBe(true);
    // The largest item number a 2 MiB file can have.
    expect(isRequestId(itemRequestId(id, MAX_BATCH_FILE_BYTES))).toBe(true);
  });
});
