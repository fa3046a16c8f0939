/**
 * Finds a JPEG's pixel size in its frame header (SOFn) by walking the marker
 * segments as they stream by. Segments before the frame header (EXIF with its
 * thumbnail, ICC profiles, extended XMP such as phone depth maps) can add up to
 * megabytes; they are skipped by their declared lengths, never buffered, so the
 * size is found wherever it is with a few bytes of memory. (`image-size` needs the
 * whole head in one buffer and knows only SOF0–SOF2, hence this reader.)
 */
import type { ByteParser, ParsedFacts } from './byte-parser';

/** Frame header markers: every SOFn except C4 (DHT), C8 (reserved) and CC (DAC). */
const FRAME_HEADERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** Markers that stand alone, without a length: SOI, TEM and the restart markers. */
const STANDALONE = new Set([0xd8, 0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7]);
const EOI = 0xd9;
const SOS = 0xda;
/** Sample precision (1 byte), height (2), width (2): the start of a frame header. */
const FRAME_HEADER_BYTES = 5;

type State = 'marker' | 'code' | 'length' | 'skip' | 'frame' | 'done';

export class JpegSizeParser implements ByteParser {
  private state: State = 'marker';
  private code = 0;
  /** Bytes of the current length field or frame header read so far. */
  private readonly field = new Uint8Array(FRAME_HEADER_BYTES);
  private fieldLength = 0;
  private toSkip = 0;
  private facts: ParsedFacts = {};

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && this.state !== 'done') {
      switch (this.state) {
        case 'skip': {
          const take = Math.min(this.toSkip, chunk.length - i);
          this.toSkip -= take;
          i += take;
          if (this.toSkip === 0) this.state = 'marker';
          break;
        }
        case 'marker':
          if (chunk[i++] !== 0xff) this.stop('is a damaged JPEG: a marker was expected between its segments');
          else this.state = 'code';
          break;
        case 'code':
          this.onCode(chunk[i++] ?? 0);
          break;
        case 'length':
        case 'frame':
          this.field[this.fieldLength++] = chunk[i++] ?? 0;
          if (this.state === 'length' && this.fieldLength === 2) this.check(this.onLength(this.u16(0)));
          else if (this.state === 'frame' && this.fieldLength === FRAME_HEADER_BYTES) this.check(this.onFrameHeader());
          break;
      }
    }
  }

  end(): ParsedFacts {
    if (this.state !== 'done') this.stop('is a JPEG that ended before its frame header (truncated?)');
    return this.facts;
  }

  private onCode(code: number): void {
    // 0xFF may repeat as fill before the code.
    if (code === 0xff) return;
    if (STANDALONE.has(code)) {
      this.state = 'marker';
      return;
    }
    if (code === EOI || code === SOS) {
      this.stop('is a JPEG without a frame header before its image data');
      return;
    }
    this.code = code;
    this.fieldLength = 0;
    this.state = 'length';
  }

  /** A segment's length counts its own two bytes. Returns what is wrong, if anything. */
  private onLength(length: number): string | undefined {
    const body = length - 2;
    if (FRAME_HEADERS.has(this.code)) {
      if (body < FRAME_HEADER_BYTES) return 'is a damaged JPEG: its frame header is too short';
      this.fieldLength = 0;
      this.state = 'frame';
      return undefined;
    }
    if (body < 0) return 'is a damaged JPEG: a segment declares a length below 2';
    this.toSkip = body;
    this.state = body === 0 ? 'marker' : 'skip';
    return undefined;
  }

  private onFrameHeader(): string | undefined {
    const height = this.u16(1);
    const width = this.u16(3);
    // A height of 0 means "given later by a DNL marker", which nothing Sora makes or takes uses.
    if (width === 0 || height === 0) return 'is a JPEG whose frame header gives no size';
    this.facts = { width, height };
    this.state = 'done';
    return undefined;
  }

  private u16(offset: number): number {
    return (this.field[offset] ?? 0) * 256 + (this.field[offset + 1] ?? 0);
  }

  private check(problem: string | undefined): void {
    if (problem !== undefined) this.stop(problem);
  }

  private stop(problem: string): void {
    this.facts = { problem };
    this.state = 'done';
  }
}
