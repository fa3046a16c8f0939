/**
 * A pass-through stream that learns what a file is while it flows to its
 * destination (an upload into Blob Storage): its length, its kind by its
 * bytes, an image's pixel size, an MP4's duration, and whether the file is
 * whole by its format's own structure (see `flaw`). Whatever the file's size,
 * it holds only a few hundred bytes (see the format readers), and with
 * `maxBytes` it fails as soon as the file passes the limit.
 */
import { Transform } from 'node:stream';
import type { ByteParser, ParsedFacts } from './byte-parser';
import { JpegReader } from './jpeg-reader';
import { Mp4Reader } from './mp4-reader';
import { PngReader } from './png-reader';
import { SIGNATURE_BYTES, sniffMedia, type MediaKind, type MediaSignature } from './signature';
import { MediaTooLargeError } from './too-large-error';
import { WebpReader } from './webp-reader';

/** The file's length and kind, and what that kind's reader found: nothing at all, `flaw` included, when the bytes are of no kind Sora takes. */
export interface MediaFacts extends Partial<ParsedFacts> {
  /** Bytes that went through the stream. */
  bytes: number;
  /** Absent when the bytes are none of the kinds Sora takes. */
  signature?: MediaSignature;
}

export interface InspectOptions {
  /** The stream fails with `MediaTooLargeError` as soon as more bytes than this arrive. */
  maxBytes?: number;
}

export interface MediaInspector {
  /** Pipe the file through this; it passes every byte on unchanged. */
  readonly stream: Transform;
  /** What was learnt; only once the stream has ended. */
  facts(): MediaFacts;
}

export function inspectMedia(options: InspectOptions = {}): MediaInspector {
  const { maxBytes } = options;
  const head = new Uint8Array(SIGNATURE_BYTES);
  let bytes = 0;
  let signature: MediaSignature | undefined;
  let parser: ByteParser | undefined;
  let learnt: MediaFacts | undefined;

  /** Decides the kind from the head (full, or all there is) and replays the head into that kind's reader. */
  const sniff = (headLength: number) => {
    signature = sniffMedia(head.subarray(0, headLength));
    parser = signature && parserFor(signature.kind);
    parser?.push(head.subarray(0, headLength));
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const before = bytes;
      bytes += chunk.length;
      if (maxBytes !== undefined && bytes > maxBytes) {
        callback(new MediaTooLargeError(maxBytes));
        return;
      }
      if (before < SIGNATURE_BYTES) {
        const take = Math.min(SIGNATURE_BYTES - before, chunk.length);
        head.set(chunk.subarray(0, take), before);
        if (before + take === SIGNATURE_BYTES) {
          sniff(SIGNATURE_BYTES);
          parser?.push(chunk.subarray(take));
        }
      } else parser?.push(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      if (bytes < SIGNATURE_BYTES) sniff(bytes);
      learnt = { bytes, ...(signature && { signature }), ...parser?.end() };
      callback();
    },
  });

  return {
    stream,
    facts() {
      if (!learnt) throw new Error('media facts are known only after the stream has ended');
      return learnt;
    },
  };
}

function parserFor(kind: MediaKind): ByteParser {
  switch (kind) {
    case 'jpeg':
      return new JpegReader();
    case 'png':
      return new PngReader();
    case 'webp':
      return new WebpReader();
    case 'mp4':
      return new Mp4Reader();
  }
}
