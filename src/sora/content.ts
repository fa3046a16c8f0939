/** Reading video and thumbnail content the same way for both APIs. */
import { SoraError, callDetails } from './errors';
import type { SoraHttp, SoraRequest } from './http';
import { streamRangeReader } from './stream-fill';
import type { ByteRange, SoraContent, SoraContentInfo, SoraContentRange, SoraContentStart } from './types';

export function contentInfo(headers: Headers): SoraContentInfo {
  const length = headers.get('content-length');
  return {
    contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : null,
    contentType: headers.get('content-type') ?? 'application/octet-stream',
    acceptRanges: headers.get('accept-ranges')?.toLowerCase() === 'bytes',
    lastModified: headers.get('last-modified'),
  };
}

export async function headContent(http: SoraHttp, request: Omit<SoraRequest, 'method'>): Promise<SoraContentInfo> {
  return contentInfo(await http.discardBody({ ...request, method: 'HEAD' }));
}

/**
 * Opens content, optionally one byte range of it. A server that ignores the
 * range would hand back the whole file where the caller expects a tail, so
 * that is an error rather than silently wrong bytes.
 */
export async function openContent(http: SoraHttp, request: Omit<SoraRequest, 'method'>, range?: ByteRange): Promise<SoraContent> {
  const headers = range ? { ...request.headers, range: `bytes=${range.start}-${range.end}` } : request.headers;
  const answer = await http.stream({ ...request, method: 'GET', headers });
  if (range && answer.status !== 206) {
    answer.body.destroy();
    throw rangeNotHonoured(`${String(range.start)}-${String(range.end)}`, answer.status, answer.headers, 'got the whole content');
  }
  return { ...contentInfo(answer.headers), body: answer.body };
}

/** The bytes of one range for a reader that fills its own buffers; exactly those bytes, or an error. */
export async function readContentRange(http: SoraHttp, request: Omit<SoraRequest, 'method'>, range: ByteRange): Promise<SoraContentRange> {
  const answer = await http.readRange({ ...request, method: 'GET' }, range);
  const info = contentInfo(answer.headers);
  const length = range.end - range.start + 1;
  if (answer.status === 206 && info.contentLength === null) {
    // An answer that does not say its length (a gateway's chunked one) cannot be read straight into
    // blocks: the same range again, from a stream.
    answer.reader.close();
    const streamed = await openContent(http, request, range);
    const { body, ...streamedInfo } = streamed;
    return { ...streamedInfo, reader: streamRangeReader(body) };
  }
  if (answer.status !== 206 || info.contentLength !== length) {
    answer.reader.close();
    const got = answer.status === 206 ? `${String(info.contentLength ?? 'an unknown number of')} bytes` : 'the whole content';
    throw rangeNotHonoured(`${String(range.start)}-${String(range.end)}`, answer.status, answer.headers, `got ${got}`);
  }
  return { ...info, reader: answer.reader };
}

/**
 * Everything from the first byte, asked as a range so the answer says the
 * whole size: a 206 names it in Content-Range, a service that ignores ranges
 * answers 200 with the whole content and its length. The reader is handed
 * over only when the answer says how many bytes it carries from byte 0.
 */
export async function readContentStart(http: SoraHttp, request: Omit<SoraRequest, 'method'>): Promise<SoraContentStart> {
  const answer = await http.readRange({ ...request, method: 'GET' }, { start: 0, end: null });
  const length = contentInfo(answer.headers).contentLength;
  if (answer.status !== 206) {
    if (length !== null) return { size: length, acceptRanges: false, reader: answer.reader, readable: length };
    answer.reader.close();
    return { size: null, acceptRanges: false, reader: null, readable: 0 };
  }
  const served = servedRange(answer.headers.get('content-range'));
  if (served === null) {
    answer.reader.close();
    throw rangeNotHonoured('0-', answer.status, answer.headers, 'got a 206 without a usable content-range');
  }
  if (served.start === 0 && length === served.end - served.start + 1) return { size: served.size, acceptRanges: true, reader: answer.reader, readable: length };
  // A chunked answer, or one that does not start at byte 0: its bytes cannot go straight into blocks, but the size stands.
  answer.reader.close();
  return { size: served.size, acceptRanges: true, reader: null, readable: 0 };
}

/** `bytes first-last/size` of a 206; null for anything else (an unknown size, `*`, included). */
function servedRange(header: string | null): { start: number; end: number; size: number } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return start <= end && end < size ? { start, end, size } : null;
}

function rangeNotHonoured(asked: string, status: number, headers: Headers, what: string): SoraError {
  return new SoraError({
    status,
    code: 'range_not_honoured',
    serviceMessage: `asked for bytes ${asked}, ${what} (HTTP ${String(status)})`,
    param: 'range',
    ...callDetails(headers),
    retryAfterMs: null,
    retryable: false,
  });
}
