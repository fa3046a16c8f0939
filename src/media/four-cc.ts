/** Reads a four-character code (an MP4 box type, a RIFF chunk id) at `offset`; `latin1` maps every byte to one character, so nothing can throw. */
export function fourCC(bytes: Uint8Array, offset: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, 4).toString('latin1');
}
