/** The raw HTTP/1.1 the range reader speaks: the answer's head read, the request's head written, a chunked error body unwrapped. */
import { describe, expect, it } from 'vitest';
import { bodyStart, parseResponseHead, requestHead, unchunk } from '../../src/sora/http-head';

describe('the answer head', () => {
  it('is found at the blank line, and read into status, text and fields (repeated fields joined)', () => {
    const bytes = Buffer.from('HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\nVary: a\r\nvary: b\r\n\r\n0123456789');
    const end = bodyStart(bytes);
    expect(end).toBe(bytes.length - 10);
    const head = parseResponseHead(bytes.subarray(0, end - 2));
    expect(head.status).toBe(206);
    expect(head.statusText).toBe('Partial Content');
    expect(head.headers.get('content-length')).toBe('10');
    expect(head.headers.get('vary')).toBe('a, b');
  });

  it('is not found before its blank line has arrived', () => {
    expect(bodyStart(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 3\r\n'))).toBe(-1);
  });

  it('refuses what is not an HTTP/1.x answer, and a field line without a name', () => {
    expect(() => parseResponseHead(Buffer.from('HTTP/2 200\r\n'))).toThrow('not an HTTP/1.1 answer: "HTTP/2 200"');
    expect(() => parseResponseHead(Buffer.from('HTTP/1.1 200 OK\r\n: x\r\n'))).toThrow('malformed header line: ": x"');
  });
});

describe('the request head', () => {
  it('names the path with its query, the host with its port, every field, and closes the connection after', () => {
    const head = requestHead('GET', new URL('http://127.0.0.1:8090/openai/v1/videos/v/content?variant=video'), { 'api-key': 'k', range: 'bytes=0-9' });
    expect(head.toString('latin1')).toBe(
      'GET /openai/v1/videos/v/content?variant=video HTTP/1.1\r\nhost: 127.0.0.1:8090\r\napi-key: k\r\nrange: bytes=0-9\r\nconnection: close\r\n\r\n',
    );
  });

  it('refuses a field whose value would end its line early', () => {
    expect(() => requestHead('GET', new URL('http://x/'), { 'api-key': 'k\r\nx-injected: 1' })).toThrow('header "api-key" holds a line break');
  });
});

describe('a chunked body', () => {
  it('is unwrapped to its payload', () => {
    expect(unchunk(Buffer.from('5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n')).toString()).toBe('hello, world');
  });
});
