/**
 * Where SoraHttp's "no progress" bounds get their time from. Production uses
 * the real timers; a test hands in a clock it moves itself, so whether a stall
 * outlasts the bound is decided by the test, not by how busy the machine is.
 */
export interface Timers {
  /** Calls `fire` once `ms` have passed, unless the returned function is called first (calling it later does nothing). */
  start(ms: number, fire: () => void): () => void;
}

export const realTimers: Timers = {
  start(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => {
      clearTimeout(timer);
    };
  },
};
