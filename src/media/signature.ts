/**
 * Recognises the media kinds Sora takes by the first bytes of a file, never by
 * a declared content type or file extension (both are whatever the client says).
 */
import { fourCC } from './four-cc';

export type MediaKind = 'jpeg' | 'png' | 'webp' | 'mp4';

export interface MediaSignature {
  kind: MediaKind;
  type: 'image' | 'video';
  contentType: string;
}

/** How many leading bytes `sniffMedia` needs to decide (WebP's `RIFF????WEBP` and MP4's `????ftyp` + brand are the longest). */
export const SIGNATURE_BYTES = 12;

const JPEG: MediaSignature = { kind: 'jpeg', type: 'image', contentType: 'image/jpeg' };
const PNG: MediaSignature = { kind: 'png', type: 'image', contentType: 'image/png' };
const WEBP: MediaSignature = { kind: 'webp', type: 'image', contentType: 'image/webp' };
const MP4: MediaSignature = { kind: 'mp4', type: 'video', contentType: 'video/mp4' };

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Major brands of the ISO base media file format that mean an MP4 file. QuickTime
 * (`qt  `) is left out on purpose: it is a different container (.mov) with its own
 * atoms, and Sora documents MP4 only. So are HEIF/AVIF (`heic`, `mif1`, `avif`: still
 * images in the same box format), audio-only M4A and 3GPP: none is an MP4 video.
 */
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash']);

export function sniffMedia(head: Uint8Array): MediaSignature | undefined {
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(head, 0, PNG_MAGIC)) return PNG;
  if (head.length >= 12 && fourCC(head, 0) === 'RIFF' && fourCC(head, 8) === 'WEBP') return WEBP;
  // An MP4 opens with its `ftyp` box: 4 bytes of size, the type, then the major brand.
  if (head.length >= 12 && fourCC(head, 4) === 'ftyp' && MP4_BRANDS.has(fourCC(head, 8))) return MP4;
  return undefined;
}

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  return bytes.length >= offset + expected.length && expected.every((b, i) => bytes[offset + i] === b);
}
