/**
 * Walks a PNG chunk by chunk from its signature to its IEND chunk as it
 * streams by, holding a few bytes whatever its size: every chunk is followed
 * by its declared length and its CRC is checked over its type and data as they
 * pass; the pixel size comes from the header chunk (IHDR). The file is whole
 * only when every chunk is complete with a correct CRC, there is image data
 * (IDAT), and the file ends exactly after IEND.
 */
import { crc32 } from 'node:zlib';
import type { ByteParser, ParsedFacts } from './byte-parser';
import { fourCC } from './four-cc';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A chunk's 4-byte length and 4-byte type. */
const CHUNK_HEADER_BYTES = 8;
const CRC_BYTES = 4;
const IHDR_BYTES = 13;
/** PNG caps chunk lengths, widths and heights at 2^31 - 1. */
const MAX_U31 = 2 ** 31 - 1;
/** Apple's "CgBI" PNGs put this chunk before IHDR; image-size reads their size, so they are not refused here either. */
const BEFORE_HEADER = new Set(['CgBI']);
const CHUNK_TYPE = /^[A-Za-z]{4}$/;

type State = 'signature' | 'header' | 'data' | 'crc' | 'ended' | 'broken';

export class PngReader implements ByteParser {
  private state: State = 'signature';
  /** The fixed-size field being read: the signature, a chunk header, IHDR's data or a CRC. */
  private readonly field = new Uint8Array(IHDR_BYTES);
  private fieldLength = 0;
  private type = '';
  private dataLeft = 0;
  private crc = 0;
  private headerSeen = false;
  private imageDataSeen = false;
  private size?: { width: number; height: number };
  private sizeProblem?: string;
  private breakage?: string;
  private bytesAfterEnd = 0;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'broken') return;
      if (this.state === 'ended') {
        this.bytesAfterEnd += chunk.length - i;
        return;
      }
      if (this.state === 'data' && this.type !== 'IHDR') {
        const data = chunk.subarray(i, i + this.dataLeft);
        this.crc = crc32(data, this.crc);
        this.dataLeft -= data.length;
        i += data.length;
        if (this.dataLeft === 0) this.expect('crc');
        continue;
      }
      this.field[this.fieldLength++] = chunk[i++] ?? 0;
      if (this.fieldLength === this.wanted()) this.onField();
    }
  }

  end(): ParsedFacts {
    const flaw =
      this.breakage ??
      (this.state === 'data' || this.state === 'crc'
        ? `is a PNG that ends inside its '${this.type}' chunk (truncated?)`
        : this.state !== 'ended'
          ? 'is a PNG that ends before its IEND chunk (truncated?)'
          : this.bytesAfterEnd > 0
            ? // A flaw on purpose: see ParsedFacts.flaw.
              `is a PNG with ${this.bytesAfterEnd} bytes after its IEND chunk; send the image alone`
            : undefined);
    if (this.size) return { ...this.size, flaw };
    return { problem: this.sizeProblem ?? 'is a PNG whose header does not give its size (truncated or damaged?)', flaw };
  }

  private wanted(): number {
    switch (this.state) {
      case 'signature':
        return SIGNATURE.length;
      case 'header':
        return CHUNK_HEADER_BYTES;
      case 'crc':
        return CRC_BYTES;
      default:
        return IHDR_BYTES;
    }
  }

  private onField(): void {
    const field = this.field.subarray(0, this.fieldLength);
    if (this.state === 'signature') {
      if (SIGNATURE.every((b, i) => field[i] === b)) this.expect('header');
      else this.break('is not a PNG: its signature is damaged');
    } else if (this.state === 'header') this.onChunkHeader(field);
    else if (this.state === 'data') this.onImageHeader(field);
    else this.onCrc(field);
  }

  private onChunkHeader(field: Uint8Array): void {
    const length = u32(field, 0);
    this.type = fourCC(field, 4);
    const problem = this.chunkProblem(length);
    if (problem !== undefined) {
      this.break(problem);
      return;
    }
    if (this.type === 'IDAT') this.imageDataSeen = true;
    this.crc = crc32(field.subarray(4, 8));
    this.dataLeft = length;
    this.expect(length === 0 ? 'crc' : 'data');
  }

  /** What is wrong with the chunk whose header was just read, if anything. */
  private chunkProblem(length: number): string | undefined {
    const type = this.type;
    if (!CHUNK_TYPE.test(type)) return 'is a damaged PNG: a chunk type is not four letters';
    if (length > MAX_U31) return `is a damaged PNG: its '${type}' chunk declares an impossible length`;
    if (!this.headerSeen && type !== 'IHDR' && !BEFORE_HEADER.has(type)) return 'is a damaged PNG: its first chunk is not its header (IHDR)';
    if (type === 'IHDR' && (this.headerSeen || length !== IHDR_BYTES)) return 'is a damaged PNG: its header (IHDR) is not one 13-byte chunk';
    if (type === 'IEND' && !this.imageDataSeen) return 'is a PNG without image data (IDAT)';
    return undefined;
  }

  /** IHDR's data: width, height (4 bytes each), then depth, colour type and methods. */
  private onImageHeader(field: Uint8Array): void {
    this.headerSeen = true;
    this.crc = crc32(field, this.crc);
    const width = u32(field, 0);
    const height = u32(field, 4);
    if (width === 0 || height === 0 || width > MAX_U31 || height > MAX_U31) this.sizeProblem = 'is a PNG whose header gives an impossible size';
    else this.size = { width, height };
    this.expect('crc');
  }

  private onCrc(field: Uint8Array): void {
    if (u32(field, 0) === this.crc) this.expect(this.type === 'IEND' ? 'ended' : 'header');
    else this.break(`is a damaged PNG: its '${this.type}' chunk fails its CRC check`);
  }

  private expect(state: State): void {
    this.state = state;
    this.fieldLength = 0;
  }

  private break(problem: string): void {
    this.breakage = problem;
    this.state = 'broken';
  }
}

function u32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}
