/** Reading video and thumbnail content the same way for both APIs. */
import { SoraError, callDetails } from './errors';
import type { SoraHttp, SoraRequest } from './http';
import { streamRangeReader } from './stream-fill';
import type { ByteRange, SoraContent, SoraContentInfo, SoraContentRange } from './types';

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
    throw rangeNotHonoured(range, answer.status, answer.headers, 'got the whole content');
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
    throw rangeNotHonoured(range, answer.status, answer.headers, `got ${got}`);
  }
  return { ...info, reader: answer.reader };
}

function rangeNotHonoured(range: ByteRange, status: number, headers: Headers, what: string): SoraError {
  return new SoraError({
    status,
    code: 'range_not_honoured',
    serviceMessage: `asked for bytes ${range.start}-${range.end}, ${what} (HTTP ${status})`,
    param: 'range',
    ...callDetails(headers),
    retryAfterMs: null,
    retryable: false,
  });
}
