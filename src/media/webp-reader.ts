/**
 * Reads a WebP's pixel size from its fixed-position header (the VP8, VP8L or
 * VP8X chunk, all within the first 30 bytes, using `image-size`'s WebP reader)
 * and checks the file is whole by counting its bytes: a WebP is one RIFF chunk,
 * whose header declares the size of everything after its first 8 bytes, so the
 * file must be exactly that long.
 */
import { WEBP } from 'image-size/types/webp';
import type { ByteParser, ParsedFacts } from './byte-parser';

/**
 * Bytes image-size reads: 20–30 of every variant. It must not be given less: past
 * the end of a short buffer it reads `undefined` as 0 and returns a made-up size
 * instead of failing.
 */
const HEADER_BYTES = 30;
/** 'RIFF' and the 32-bit little-endian size of what follows it. */
const RIFF_HEADER_BYTES = 8;

export class WebpReader implements ByteParser {
  private readonly head = new Uint8Array(HEADER_BYTES);
  private headLength = 0;
  private bytes = 0;

  push(chunk: Uint8Array): void {
    const take = Math.min(HEADER_BYTES - this.headLength, chunk.length);
    this.head.set(chunk.subarray(0, take), this.headLength);
    this.headLength += take;
    this.bytes += chunk.length;
  }

  end(): ParsedFacts {
    return { ...this.size(), flaw: this.flaw() };
  }

  private flaw(): string | undefined {
    if (this.headLength < RIFF_HEADER_BYTES) return 'is a WebP that ends inside its RIFF header (truncated?)';
    const declared = RIFF_HEADER_BYTES + new DataView(this.head.buffer).getUint32(4, true);
    if (this.bytes < declared) return `is a WebP that ends before its declared end: ${this.bytes} of ${declared} bytes (truncated?)`;
    // A flaw on purpose: see ParsedFacts.flaw.
    if (this.bytes > declared) return `is a WebP with ${this.bytes - declared} bytes after its declared end (RIFF size); send the image alone`;
    return undefined;
  }

  private size(): Pick<ParsedFacts, 'width' | 'height' | 'problem'> {
    const unreadable = { problem: 'is a WebP whose header does not give its size (truncated or damaged?)' };
    if (this.headLength < HEADER_BYTES) return unreadable;
    try {
      if (!WEBP.validate(this.head)) return { problem: 'is not a valid WebP header' };
      const { width, height } = WEBP.calculate(this.head);
      if (width > 0 && height > 0) return { width, height };
    } catch {
      // a damaged header: reported below
    }
    return unreadable;
  }
}
