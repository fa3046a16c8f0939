/**
 * Reads the pixel size of a PNG or WebP image from its fixed-position header
 * (PNG's IHDR chunk; WebP's VP8, VP8L or VP8X chunk), all within the first 40
 * bytes, using `image-size`'s readers for those formats.
 */
import { PNG } from 'image-size/types/png';
import { WEBP } from 'image-size/types/webp';
import type { IImage } from 'image-size/types/interface';
import type { ByteParser, ParsedFacts } from './byte-parser';
import { fourCC } from './four-cc';

/** The farthest a size field lies: an Apple "CgBI" PNG puts IHDR after an extra chunk, its height ends at byte 40. */
const HEADER_BYTES = 40;
/**
 * Bytes image-size reads: PNG's IHDR size ends at 24 (40 in a CgBI PNG); for WebP it
 * reads bytes 20–30 of every variant. It must not be given less: past the end of a
 * short buffer it reads `undefined` as 0 and returns a made-up size instead of failing.
 */
const needed = (format: 'png' | 'webp', head: Uint8Array) => (format === 'webp' ? 30 : head.length >= 16 && fourCC(head, 12) === 'CgBI' ? 40 : 24);

export class ImageHeaderSizeParser implements ByteParser {
  private readonly head = new Uint8Array(HEADER_BYTES);
  private headLength = 0;

  constructor(
    private readonly format: 'png' | 'webp',
  ) {}

  push(chunk: Uint8Array): void {
    const take = Math.min(HEADER_BYTES - this.headLength, chunk.length);
    this.head.set(chunk.subarray(0, take), this.headLength);
    this.headLength += take;
  }

  end(): ParsedFacts {
    const reader: IImage = this.format === 'png' ? PNG : WEBP;
    const head = this.head.subarray(0, this.headLength);
    const unreadable = { problem: `is a ${this.format.toUpperCase()} whose header does not give its size (truncated or damaged?)` };
    if (head.length < needed(this.format, head)) return unreadable;
    try {
      if (!reader.validate(head)) return { problem: `is not a valid ${this.format.toUpperCase()} header` };
      const { width, height } = reader.calculate(head);
      if (width > 0 && height > 0) return { width, height };
    } catch {
      // a damaged header: reported below
    }
    return unreadable;
  }
}
