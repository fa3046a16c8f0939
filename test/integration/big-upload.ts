/**
 * A 120 MiB multipart upload for the body-cap tests, generated as it is sent
 * — a real 1-second MP4 followed by a `free` box of zeros, which keeps it a
 * whole MP4 of that length — never held in memory; and a client on a raw
 * socket that keeps sending a body after an early answer (Node's http client
 * stops doing so once the answer has ended) and then sends the next request
 * on the same connection.
 */
import { RawConnection, type RawResponse } from '../host/raw-http';
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

/**
 * POSTs the upload to `path` on one connection, sending all of it whatever
 * the answer, then GETs `nextPath` on the same connection. Rejects if the
 * connection ends before both answers arrived.
 */
export async function uploadThenNext(baseUrl: string, path: string, upload: BigUpload, nextPath: string): Promise<[RawResponse, RawResponse]> {
  const { hostname } = new URL(baseUrl);
  const connection = await RawConnection.open(baseUrl);
  try {
    // The connection keeps what it hears while the upload is sent: the refusal may come long before the end.
    connection.write(`POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: ${upload.contentType}\r\ncontent-length: ${upload.contentLength}\r\n\r\n`);
    for (const chunk of upload.chunks()) await connection.send(chunk);
    connection.write(`GET ${nextPath} HTTP/1.1\r\nhost: ${hostname}\r\n\r\n`);
    return [await connection.response(), await connection.response()];
  } finally {
    connection.close();
  }
}
