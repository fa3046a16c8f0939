/** A stream carried more bytes than its limit allows; raised as soon as the limit is passed, so an upload stops early. */
export class MediaTooLargeError extends Error {
  override readonly name = 'MediaTooLargeError';

  constructor(
    /** The limit, in bytes. */
    readonly maxBytes: number,
  ) {
    super(`the file is larger than the limit of ${maxBytes} bytes`);
  }
}
