/**
 * The CLI's exit codes, so scripts can tell why a command failed without
 * reading its words. The README lists them.
 */
export const EXIT = {
  /** The command did what it was asked (for `generate --wait`: the videos are ready). */
  ok: 0,
  /** Something unexpected on this side (a file that cannot be written, a bug). */
  failed: 1,
  /** The command line is wrong: unknown command or option, a value that is not a number. */
  usage: 2,
  /** The API refused the call (4xx): bad input, unknown id, already finished; its problem details are printed. */
  refused: 3,
  /** The API could not be reached, or failed on its side (5xx). */
  unavailable: 4,
  /** The video request ended without videos (failed, cancelled, timed out), or has none yet to download; or a batch ended with items that did not succeed. */
  noVideos: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI explains in words and ends with a given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
