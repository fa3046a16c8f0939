/** The kind of a file is decided by its first bytes, whatever its name or declared type says. */
import { describe, expect, it } from 'vitest';
import { SIGNATURE_BYTES, sniffMedia } from '../../src/media';
import { box, ftyp } from './fixtures';

const bytes = (...values: number[]) => Uint8Array.from(values);
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('sniffMedia', () => {
  it('recognises JPEG, PNG, WebP and MP4 by their magic bytes', () => {
    expect(sniffMedia(bytes(0xff, 0xd8, 0xff, 0xe0))).toEqual({ kind: 'jpeg', type: 'image', contentType: 'image/jpeg' });
    expect(sniffMedia(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toEqual({ kind: 'png', type: 'image', contentType: 'image/png' });
    expect(sniffMedia(latin1('RIFF\x10\0\0\0WEBPVP8 '))).toEqual({ kind: 'webp', type: 'image', contentType: 'image/webp' });
    expect(sniffMedia(ftyp('isom'))).toEqual({ kind: 'mp4', type: 'video', contentType: 'video/mp4' });
  });

  it('needs no more than SIGNATURE_BYTES of the head', () => {
    expect(sniffMedia(latin1('RIFF\x10\0\0\0WEBPVP8 ').subarray(0, SIGNATURE_BYTES))?.kind).toBe('webp');
    expect(sniffMedia(ftyp('mp42').subarray(0, SIGNATURE_BYTES))?.kind).toBe('mp4');
    expect(sniffMedia(ftyp('mp42').subarray(0, SIGNATURE_BYTES - 1))).toBeUndefined();
  });

  it.each(['isom', 'iso2', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash'])('takes the MP4 brand %j', (brand) => {
    expect(sniffMedia(ftyp(brand))?.kind).toBe('mp4');
  });

  it.each(['qt  ', 'heic', 'mif1', 'avif', 'M4A ', '3gp5'])('refuses the ISO-BMFF brand %j, which is not an MP4 video', (brand) => {
    expect(sniffMedia(ftyp(brand))).toBeUndefined();
  });

  it('refuses an MP4-like file whose first box is not ftyp', () => {
    expect(sniffMedia(Buffer.concat([box('free', Buffer.alloc(4)), ftyp()]))).toBeUndefined();
  });

  it('refuses text, other RIFF files, other images and too-short heads', () => {
    expect(sniffMedia(latin1('just some text, named photo.jpg'))).toBeUndefined();
    expect(sniffMedia(latin1('RIFF\x10\0\0\0WAVEfmt '))).toBeUndefined();
    expect(sniffMedia(latin1('GIF89a\x01\0\x01\0\0\0'))).toBeUndefined();
    expect(sniffMedia(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffMedia(bytes())).toBeUndefined();
  });
});
