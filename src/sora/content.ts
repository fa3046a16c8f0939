/** Reading video and thumbnail content the same way for both APIs. */
import { SoraError, callDetails } from './errors';
import type { SoraHttp, SoraRequest } from './http';
import type { ByteRange, SoraContent, SoraContentInfo } from './types';

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
    throw new SoraError({
      status: answer.status,
      code: 'range_not_honoured',
      serviceMessage: `asked for bytes ${range.start}-${range.end}, got the whole content (HTTP ${answer.status})`,
      param: 'range',
      ...callDetails(answer.headers),
      retryAfterMs: null,
      retryable: false,
    });
  }
  return { ...contentInfo(answer.headers), body: answer.body };
}
