/**
 * Reads an MP4's duration from `moov/mvhd` and checks the file is whole by
 * walking its boxes as they stream by: every box is skipped by its declared size
 * (32-bit, 64-bit `largesize`, or 0 for a last box that runs to the end of the
 * file; the media data, `mdat`, can be gigabytes), `moov` and `mvex` are entered,
 * and only the tiny `mvhd` and `mehd` boxes are held. Memory stays a few hundred
 * bytes whether `moov` comes before `mdat` ("fast start") or after it, as it does
 * in files written straight from a camera or by ffmpeg without
 * `-movflags +faststart`. The file is whole when it has its `moov` and `mdat`
 * and ends exactly where its last box does.
 *
 * What box sizes cannot show: an `mdat` of size 0 ("to the end of the file")
 * cut short looks whole, since only the sample tables inside `moov` say where
 * its data ends. Writers use size 0 only when they cannot seek back to fill the
 * size in, which is rare for a finished file.
 */
import type { ByteParser, ParsedFacts } from './byte-parser';
import { fourCC } from './four-cc';

/** Boxes entered, by the box they sit in ('' = top level). */
const ENTER: Record<string, readonly string[] | undefined> = { '': ['moov'], moov: ['mvex'] };
/** Boxes read whole, by the box they sit in. */
const READ: Record<string, readonly string[] | undefined> = { moov: ['mvhd'], mvex: ['mehd'] };
/** `mvhd` is 108 or 120 bytes and `mehd` 16 or 20; anything much larger is not one. */
const MAX_READ_BYTES = 256;
const LARGE_HEADER_BYTES = 16;
const HEADER_BYTES = 8;
/** A duration of all ones means "unknown" in both the 32- and 64-bit forms. */
const UNKNOWN_32 = 0xffffffff;

interface Box {
  type: string;
  /** Offset of the byte after the box; Infinity for a last box that runs to the end of the file. */
  end: number;
}

export class Mp4Reader implements ByteParser {
  private position = 0;
  /** Boxes entered and not yet left, outermost first. */
  private readonly open: Box[] = [];
  private readonly header = new Uint8Array(LARGE_HEADER_BYTES);
  private headerLength = 0;
  /** The box whose body is being skipped or read. */
  private body?: Box & { bytes?: Uint8Array };
  private bodyLength = 0;
  /** The first thing found wrong, with the size or duration or the structure. */
  private problem?: string;
  /** What broke the box structure; the walk stops there. */
  private breakage?: string;

  private moovSeen = false;
  private mdatSeen = false;
  private moovBeforeMdat?: boolean;
  private fragmented = false;
  private timescale?: number;
  private movieDuration?: number;
  private fragmentDuration?: number;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && this.breakage === undefined) {
      this.leaveEndedBoxes();
      i += this.body ? this.consumeBody(chunk.subarray(i)) : this.consumeHeader(chunk.subarray(i));
    }
  }

  end(): ParsedFacts {
    this.leaveEndedBoxes();
    const layout = this.moovBeforeMdat === undefined ? {} : { moovBeforeMdat: this.moovBeforeMdat };
    // The most telling first; it is also the problem reported, unless the walk already found one.
    const flaw =
      this.breakage ??
      this.cutShort() ??
      (this.moovSeen ? undefined : 'is an MP4 without a movie header (moov)') ??
      (this.mdatSeen ? undefined : 'is an MP4 without media data (mdat)');
    if (flaw !== undefined) this.fail(flaw);
    if (this.problem !== undefined) return { ...layout, problem: this.problem, flaw };

    const duration = this.fragmented ? this.fragmentDuration : this.movieDuration;
    if (duration === undefined || duration === 0 || !this.timescale) {
      const why = this.fragmented ? 'a fragmented MP4 that does not state its total duration (mehd)' : 'an MP4 whose movie header (mvhd) gives no duration';
      return { ...layout, problem: `is ${why}`, flaw };
    }
    return { ...layout, durationSeconds: duration / this.timescale, flaw };
  }

  /** Says which box the file ends inside, naming the outermost, when it does not end at a box boundary. */
  private cutShort(): string | undefined {
    const unfinished = this.open.find((b) => b.end !== Infinity) ?? (this.body && this.body.end !== Infinity ? this.body : undefined);
    if (unfinished) return `is an MP4 that ends inside its '${unfinished.type}' box (truncated?)`;
    if (this.headerLength > 0) return 'is an MP4 that ends inside a box header (truncated?)';
    return undefined;
  }

  private leaveEndedBoxes(): void {
    while (this.open.at(-1)?.end === this.position) this.open.pop();
  }

  private consumeHeader(bytes: Uint8Array): number {
    const wanted = this.headerLength >= HEADER_BYTES && this.readU32(this.header, 0) === 1 ? LARGE_HEADER_BYTES : HEADER_BYTES;
    const take = Math.min(wanted - this.headerLength, bytes.length);
    this.header.set(bytes.subarray(0, take), this.headerLength);
    this.headerLength += take;
    this.position += take;
    if (this.headerLength === wanted && !(wanted === HEADER_BYTES && this.readU32(this.header, 0) === 1)) {
      const problem = this.startBox();
      if (problem !== undefined) this.break(problem);
    }
    return take;
  }

  /** Opens the box whose header was just read; returns what is wrong with it, if anything. */
  private startBox(): string | undefined {
    const headerLength = this.headerLength;
    this.headerLength = 0;
    const start = this.position - headerLength;
    const parent = this.open.at(-1);
    const parentEnd = parent?.end ?? Infinity;
    const type = fourCC(this.header, 4);
    const size32 = this.readU32(this.header, 0);
    let size: number;
    if (size32 === 0) size = parentEnd - start;
    else if (size32 === 1) {
      const high = this.readU32(this.header, 8);
      // Beyond 2^53 bytes a size cannot be a real file's, nor be counted exactly.
      if (high >= 2 ** 21) return `is an MP4 whose '${type}' box declares an impossible size`;
      size = high * 2 ** 32 + this.readU32(this.header, 12);
    } else size = size32;
    const end = start + size;
    if (size < headerLength) return `is an MP4 whose '${type}' box is smaller than its own header`;
    if (end > parentEnd) return `is an MP4 whose '${type}' box overruns the box it is in`;

    const where = parent?.type ?? '';
    if (where === '') this.noteTopLevel(type);
    if (ENTER[where]?.includes(type)) {
      if (type === 'mvex') this.fragmented = true;
      this.open.push({ type, end });
      return undefined;
    }
    const read = READ[where]?.includes(type) ?? false;
    if (read && size - headerLength > MAX_READ_BYTES) return `is an MP4 whose '${type}' box is too large to be one`;
    this.body = read ? { type, end, bytes: new Uint8Array(size - headerLength) } : { type, end };
    this.bodyLength = 0;
    if (end === this.position) this.finishBody();
    return undefined;
  }

  private noteTopLevel(type: string): void {
    if (type === 'moov') {
      // Players disagree about which of two indexes counts; the file cannot be judged.
      if (this.moovSeen) this.fail('is an MP4 with two movie headers (moov)');
      this.moovSeen = true;
      this.moovBeforeMdat = !this.mdatSeen;
    } else if (type === 'mdat') this.mdatSeen = true;
  }

  private consumeBody(bytes: Uint8Array): number {
    const body = this.body;
    if (!body) return 0;
    const take = Math.min(body.end - this.position, bytes.length);
    body.bytes?.set(bytes.subarray(0, take), this.bodyLength);
    this.bodyLength += take;
    this.position += take;
    if (this.position === body.end) this.finishBody();
    return take;
  }

  private finishBody(): void {
    const body = this.body;
    this.body = undefined;
    if (!body?.bytes) return;
    if (body.type === 'mvhd') this.readMovieHeader(body.bytes);
    else this.readFragmentHeader(body.bytes);
  }

  /** mvhd: version and flags, then (32- or 64-bit) creation and modification times, timescale, duration. */
  private readMovieHeader(bytes: Uint8Array): void {
    const version = bytes[0];
    if (version === 0 && bytes.length >= 20) {
      this.timescale = this.readU32(bytes, 12);
      this.movieDuration = this.known32(this.readU32(bytes, 16));
    } else if (version === 1 && bytes.length >= 32) {
      this.timescale = this.readU32(bytes, 20);
      this.movieDuration = this.known64(bytes, 24);
    } else this.fail('is an MP4 whose movie header (mvhd) cannot be read');
  }

  /** mehd: version and flags, then the total duration of all fragments (32- or 64-bit), in the mvhd timescale. */
  private readFragmentHeader(bytes: Uint8Array): void {
    const version = bytes[0];
    if (version === 0 && bytes.length >= 8) this.fragmentDuration = this.known32(this.readU32(bytes, 4));
    else if (version === 1 && bytes.length >= 12) this.fragmentDuration = this.known64(bytes, 4);
    else this.fail('is an MP4 whose fragment header (mehd) cannot be read');
  }

  private known32(value: number): number | undefined {
    return value === UNKNOWN_32 ? undefined : value;
  }

  private known64(bytes: Uint8Array, offset: number): number | undefined {
    const high = this.readU32(bytes, offset);
    const low = this.readU32(bytes, offset + 4);
    return high === UNKNOWN_32 && low === UNKNOWN_32 ? undefined : high * 2 ** 32 + low;
  }

  private readU32(bytes: Uint8Array, offset: number): number {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
  }

  private fail(problem: string): void {
    this.problem ??= problem;
  }

  private break(problem: string): void {
    this.fail(problem);
    this.breakage = problem;
  }
}
