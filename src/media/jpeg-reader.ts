/**
 * Walks a JPEG from its start-of-image marker to its end-of-image marker (EOI)
 * as it streams by, holding a few bytes whatever its size. Marker segments are
 * skipped by their declared lengths (EXIF with its thumbnail, ICC profiles and
 * extended XMP such as phone depth maps can add up to megabytes); the frame
 * header (SOFn) gives the pixel size; after each start of scan (SOS) the
 * entropy-coded data is searched for the next marker, which is either EOI or
 * the segments of the next scan of a progressive JPEG. The file is whole only
 * when it ends exactly at its EOI. (`image-size` needs the whole head in one
 * buffer and knows only SOF0–SOF2, hence this reader.)
 */
import type { ByteParser, ParsedFacts } from './byte-parser';

/** Frame header markers: every SOFn except C4 (DHT), C8 (reserved) and CC (DAC). */
const FRAME_HEADERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** Markers that stand alone, without a length: SOI, TEM and the restart markers. */
const STANDALONE = new Set([0xd8, 0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7]);
const isRestart = (code: number) => code >= 0xd0 && code <= 0xd7;
const EOI = 0xd9;
const SOS = 0xda;
/** In entropy-coded data, 0xFF 0x00 stands for a data byte 0xFF (byte stuffing), so 0x00 is never a marker. */
const STUFFED = 0x00;
const FILL = 0xff;
/** Sample precision (1 byte), height (2), width (2): the start of a frame header. */
const FRAME_HEADER_BYTES = 5;

type State =
  /** Between segments: a marker's 0xFF is due. */
  | 'marker'
  /** After a 0xFF between segments: the marker's code is due. */
  | 'code'
  | 'length'
  | 'frame'
  | 'skip'
  /** Inside a scan's entropy-coded data, looking for 0xFF. */
  | 'entropy'
  /** After a 0xFF in entropy-coded data: stuffing, a restart marker, or the marker that ends the scan. */
  | 'entropyCode'
  /** EOI was read: every further byte is past the image. */
  | 'ended'
  /** The structure broke: nothing further can be trusted. */
  | 'broken';

export class JpegReader implements ByteParser {
  private state: State = 'marker';
  /** The marker whose segment is being read. */
  private code = 0;
  /** Bytes of the current length field or frame header read so far. */
  private readonly field = new Uint8Array(FRAME_HEADER_BYTES);
  private fieldLength = 0;
  private toSkip = 0;
  /** Where a skipped segment leads: the next marker, or a scan's data after an SOS header. */
  private afterSkip: 'marker' | 'entropy' = 'marker';
  private frameSeen = false;
  private scans = 0;
  private size?: { width: number; height: number };
  private sizeProblem?: string;
  private breakage?: string;
  private bytesAfterEnd = 0;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case 'ended':
          this.bytesAfterEnd += chunk.length - i;
          return;
        case 'broken':
          return;
        case 'skip': {
          const take = Math.min(this.toSkip, chunk.length - i);
          this.toSkip -= take;
          i += take;
          if (this.toSkip === 0) this.state = this.afterSkip;
          break;
        }
        case 'entropy': {
          const at = chunk.indexOf(0xff, i);
          if (at === -1) return;
          i = at + 1;
          this.state = 'entropyCode';
          break;
        }
        case 'entropyCode':
          this.onEntropyCode(chunk[i++] ?? 0);
          break;
        case 'marker':
          if (chunk[i++] !== 0xff) this.break('is a damaged JPEG: a marker was expected between its segments');
          else this.state = 'code';
          break;
        case 'code':
          this.onCode(chunk[i++] ?? 0);
          break;
        case 'length':
        case 'frame':
          this.field[this.fieldLength++] = chunk[i++] ?? 0;
          if (this.state === 'length' && this.fieldLength === 2) this.onLength(this.u16(0));
          else if (this.state === 'frame' && this.fieldLength === FRAME_HEADER_BYTES) this.onFrameHeader();
          break;
      }
    }
  }

  end(): ParsedFacts {
    const flaw =
      this.breakage ??
      (this.state !== 'ended'
        ? 'is a JPEG that ends before its end-of-image marker (truncated?)'
        : this.bytesAfterEnd > 0
          ? // A flaw on purpose: see ParsedFacts.flaw.
            `is a JPEG with ${this.bytesAfterEnd} bytes after its end-of-image marker; send the image alone`
          : undefined);
    if (this.size) return { ...this.size, flaw };
    // Without a frame header, whatever stopped the walk is also why there is no size.
    return { problem: this.sizeProblem ?? this.breakage ?? 'is a JPEG that ended before its frame header (truncated?)', flaw };
  }

  private onCode(code: number): void {
    if (code === FILL) return; // 0xFF may repeat before a marker's code
    if (code === STUFFED) this.break('is a damaged JPEG: a marker was expected between its segments');
    else if (STANDALONE.has(code)) this.state = 'marker';
    else if (code === EOI) this.onEnd();
    else if (code === SOS && !this.frameSeen) this.break('is a JPEG without a frame header before its image data');
    else this.startSegment(code);
  }

  private onEntropyCode(code: number): void {
    if (code === FILL) return;
    if (code === STUFFED || isRestart(code)) this.state = 'entropy';
    else this.onCode(code);
  }

  private onEnd(): void {
    if (this.scans > 0) this.state = 'ended';
    else if (this.frameSeen) this.break('is a JPEG without image data: its end-of-image marker comes before any scan');
    else this.break('is a JPEG without a frame header before its end-of-image marker');
  }

  private startSegment(code: number): void {
    this.code = code;
    this.fieldLength = 0;
    this.state = 'length';
  }

  /** A segment's length counts its own two bytes. */
  private onLength(length: number): void {
    const body = length - 2;
    if (body < 0) {
      this.break('is a damaged JPEG: a segment declares a length below 2');
      return;
    }
    this.fieldLength = 0;
    if (FRAME_HEADERS.has(this.code) && !this.frameSeen) {
      if (body < FRAME_HEADER_BYTES) this.break('is a damaged JPEG: its frame header is too short');
      else {
        this.toSkip = body - FRAME_HEADER_BYTES;
        this.state = 'frame';
      }
      return;
    }
    if (this.code === SOS) this.scans++;
    this.skip(body, this.code === SOS ? 'entropy' : 'marker');
  }

  private onFrameHeader(): void {
    this.frameSeen = true;
    const height = this.u16(1);
    const width = this.u16(3);
    // A height of 0 means "given later by a DNL marker", which nothing Sora makes or takes uses.
    if (width === 0 || height === 0) this.sizeProblem = 'is a JPEG whose frame header gives no size';
    else this.size = { width, height };
    this.skip(this.toSkip, 'marker');
  }

  private skip(bytes: number, then: 'marker' | 'entropy'): void {
    this.toSkip = bytes;
    this.afterSkip = then;
    this.state = bytes === 0 ? then : 'skip';
  }

  private u16(offset: number): number {
    return (this.field[offset] ?? 0) * 256 + (this.field[offset + 1] ?? 0);
  }

  private break(problem: string): void {
    this.breakage = problem;
    this.state = 'broken';
  }
}
