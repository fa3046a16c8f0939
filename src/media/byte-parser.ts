/**
 * The shape every format reader shares: it is fed a file's bytes in order, in
 * chunks of any size (one byte at a time included), keeps only a small bounded
 * amount of them, and says what it learnt when the file ends.
 */
export interface ByteParser {
  /** Reads the next bytes of the file. */
  push(chunk: Uint8Array): void;
  /** The file ended here. */
  end(): ParsedFacts;
}

export interface ParsedFacts {
  width?: number;
  height?: number;
  durationSeconds?: number;
  /** MP4 only: the `moov` box (the index) came before the media data (`mdat`), so the file can play while it downloads. */
  moovBeforeMdat?: boolean;
  /** Why a size or duration could not be read, when it could not. */
  problem?: string;
  /**
   * Why the file is not whole, worded to follow its field name: it is cut short
   * ("is a JPEG that ends before its end-of-image marker"), carries bytes past its
   * format's end, or its structure breaks before the end. `undefined` only when
   * the reader walked it from its signature to exactly its format's end. Every
   * reader must say (the property is required), so none can pass a file unseen.
   *
   * Bytes past the end (after a JPEG's EOI, a PNG's IEND, a WebP's RIFF chunk,
   * an MP4's last box) are a flaw on purpose. Most decoders stop at the end and
   * ignore them, but Sora documents nothing about them, and the app must be at
   * least as strict as the service: refusing is the only choice that cannot let
   * through a file Sora would refuse. The cost: phone "motion photos" and
   * multi-picture JPEGs that append data after EOI are refused with a message
   * saying to send the image alone.
   */
  flaw: string | undefined;
}
