/**
 * Time as the local stand-ins see it. The local host's time-skipping clock and
 * the Sora emulator share one instance in tests, so a durable timer that jumps
 * an hour ahead also finds the emulator's job an hour older.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
