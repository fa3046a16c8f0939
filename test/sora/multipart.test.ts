/** The streamed multipart body, read back by busboy (the parser the project's HTTP API uses). */
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { describe, expect, it } from 'vitest';
import { multipartBody } from '../../src/sora/multipart';
import type { SoraInputFile } from '../../src/sora/types';

interface Parsed {
  fields: Record<string, string>;
  files: { field: string; fileName: string; mimeType: string; bytes: Buffer }[];
}

async function parse(contentType: string, body: Buffer): Promise<Parsed> {
  const parsed: Parsed = { fields: {}, files: [] };
  const parser = busboy({ headers: { 'content-type': contentType } });
  parser.on('field', (name, value) => {
    parsed.fields[name] = value;
  });
  parser.on('file', (field, stream, info) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => parsed.files.push({ field, fileName: info.filename ?? '', mimeType: info.mimeType, bytes: Buffer.concat(chunks) }));
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', reject);
  });
  parser.end(body);
  await done;
  return parsed;
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function inputFile(fileName: string, bytes: Buffer, contentType: string, withSize = true): SoraInputFile & { opened: number } {
  const file = {
    fileName,
    contentType,
    opened: 0,
    open: () => {
      file.opened += 1;
      // Several chunks, as a blob download would deliver them.
      return Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]);
    },
    ...(withSize ? { size: bytes.length } : {}),
  };
  return file;
}

describe('multipartBody', () => {
  it('frames fields and repeated file parts that a standard parser reads back exactly', async () => {
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
    const video = Buffer.alloc(70_000, 7);
    const body = multipartBody([
      { name: 'prompt', value: 'ünïcode "quoted"\r\nprompt' },
      { name: 'inpaint_items', value: '[{"file_name":"a.png"}]' },
      { name: 'files', file: inputFile('a.png', image, 'image/png') },
      { name: 'files', file: inputFile('clip "1".mp4', video, 'video/mp4') },
    ]);
    const bytes = await collect(body.stream);
    expect(bytes.length).toBe(body.contentLength);
    const parsed = await parse(body.contentType, bytes);
    expect(parsed.fields).toEqual({ prompt: 'ünïcode "quoted"\r\nprompt', inpaint_items: '[{"file_name":"a.png"}]' });
    expect(parsed.files.map((f) => [f.field, f.fileName, f.mimeType])).toEqual([
      ['files', 'a.png', 'image/png'],
      ['files', 'clip %221%22.mp4', 'video/mp4'],
    ]);
    expect(parsed.files[0]?.bytes.equals(image)).toBe(true);
    expect(parsed.files[1]?.bytes.equals(video)).toBe(true);
  });

  it('opens files only while the body is sent, once per body', async () => {
    const file = inputFile('a.png', Buffer.from('abcdef'), 'image/png');
    const body = multipartBody([{ name: 'files', file }]);
    expect(file.opened).toBe(0);
    await collect(body.stream);
    expect(file.opened).toBe(1);
  });

  it('leaves the length unknown when a file size is unknown', () => {
    const body = multipartBody([{ name: 'files', file: inputFile('a.png', Buffer.from('abc'), 'image/png', false) }]);
    expect(body.contentLength).toBeUndefined();
  });
});
