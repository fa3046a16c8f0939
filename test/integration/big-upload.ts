/**
 * A 120 MiB multipart upload for the body-cap tests, generated as it is sent
 * — a real 1-second MP4 followed by a `free` box of zeros, which keeps it a
 * whole MP4 of that length — never held in memory; and a client on a raw
 * socket that keeps sending a body after an early answer (Node's http client
 * stops doing so once the answer has ended) and then sends the next request
 * on the same connection.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { mediaFixtures } from './media-fixtures';

export const MIB = 1024 * 1024;
export const BODY_BYTES = 120 * MIB;
const BOUNDARY = 'body-cap-boundary';

export interface BigUpload {
  contentType: string;
  contentLength: number;
  /** The video file's size: the MP4 and its padding. */
  fileBytes: number;
  chunks(): Generator<Buffer>;
}

/** A jobs API form of exactly 120 MiB: prompt, length, one inpaint item and its video part. */
export async function bigVideoUpload(): Promise<BigUpload> {
  const media = await mediaFixtures();
  const mp4 = await media.video(1);
  await media.close();
  const items = JSON.stringify([{ frame_index: 0, type: 'video', file_name: 'big.mp4' }]);
  const field = (name: string, value: string) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    `${field('prompt', 'A very large input')}${field('n_seconds', '5')}${field('inpaint_items', items)}` +
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="files"; filename="big.mp4"\r\ncontent-type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const freeBytes = BODY_BYTES - head.length - mp4.length - tail.length;
  const freeHeader = Buffer.alloc(8);
  freeHeader.writeUInt32BE(freeBytes, 0);
  freeHeader.write('free', 4, 'latin1');
  const zeros = Buffer.alloc(MIB);
  return {
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    contentLength: BODY_BYTES,
    fileBytes: mp4.length + freeBytes,
    *chunks() {
      yield head;
      yield mp4;
      yield freeHeader;
      for (let left = freeBytes - 8; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
      yield tail;
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs the upload to `path` on one connection, sending all of it whatever
 * the answer, then GETs `nextPath` on the same connection. Rejects if the
 * connection ends before both answers arrived.
 */
export async function uploadThenNext(baseUrl: string, path: string, upload: BigUpload, nextPath: string): Promise<[RawAnswer, RawAnswer]> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const answers = readAnswers(socket, 2);
  // Heard now, looked at once the upload is sent: the refusal may come long before that.
  answers.catch(() => undefined);
  socket.write(`POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: ${upload.contentType}\r\ncontent-length: ${upload.contentLength}\r\n\r\n`);
  for (const chunk of upload.chunks()) {
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  socket.write(`GET ${nextPath} HTTP/1.1\r\nhost: ${hostname}\r\n\r\n`);
  try {
    const [first, second] = await answers;
    if (!first || !second) throw new Error('missing answer');
    return [first, second];
  } finally {
    socket.destroy();
  }
}

/** Reads `count` answers, each framed by content-length or chunked (the host's own problems are chunked). */
function readAnswers(socket: Socket, count: number): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    const answers: RawAnswer[] = [];
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let answer = takeAnswer(buffered); answer !== undefined; answer = takeAnswer(buffered)) {
        answers.push(answer.answer);
        buffered = buffered.subarray(answer.used);
        if (answers.length === count) {
          resolve(answers);
          return;
        }
      }
    });
    socket.on('error', reject);
    socket.on('end', () => {
      reject(new Error(`the connection ended after ${answers.length} of ${count} answers`));
    });
  });
}

/** One whole answer at the start of `bytes` and how many bytes it took, or undefined while it is incomplete. */
function takeAnswer(bytes: Buffer): { answer: RawAnswer; used: number } | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const status = Number(statusLine.split(' ')[1]);
  let at = headEnd + 4;
  if (headers['transfer-encoding'] !== 'chunked') {
    const length = Number(headers['content-length'] ?? 0);
    if (bytes.length < at + length) return undefined;
    return { answer: { status, headers, body: bytes.subarray(at, at + length).toString('utf8') }, used: at + length };
  }
  const parts: Buffer[] = [];
  for (;;) {
    const sizeEnd = bytes.indexOf('\r\n', at);
    if (sizeEnd === -1) return undefined;
    const size = Number.parseInt(bytes.subarray(at, sizeEnd).toString('latin1'), 16);
    if (bytes.length < sizeEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(sizeEnd + 2, sizeEnd + 2 + size));
    at = sizeEnd + 2 + size + 2;
    if (size === 0) return { answer: { status, headers, body: Buffer.concat(parts).toString('utf8') }, used: at };
  }
}
