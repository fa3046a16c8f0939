/**
 * When a queued request can expect its slot — a pure function of what the
 * limiter answered, so the orchestrator stays deterministic. Each holder is
 * expected to keep its slot for one job's expected duration from the moment
 * it was granted (an overdue one may give it back any moment: now); the
 * waiters ahead then take the slots in order, each for one expected job too.
 * Every job is assumed to take as long as this request's own is expected to:
 * the limiter does not know the sizes of the others.
 */
export interface QueueStanding {
  /** 1-based place in the queue. */
  position: number;
  capacity: number;
  /** When each current holder was granted its slot. */
  holdersSince: readonly number[];
}

export function estimatedStartMs(standing: QueueStanding, now: number, jobMs: number): number {
  const freeAt = slotsFreeAt(standing, now, jobMs);
  let start = now;
  for (let place = 1; place <= standing.position; place++) {
    freeAt.sort((a, b) => a - b);
    start = freeAt[0] ?? now;
    freeAt[0] = start + jobMs;
  }
  return start;
}

/**
 * When each of the `capacity` slots is next free: now for an empty one, at
 * its holder's expected end for a held one. With more holders than slots
 * (the capacity was lowered), a slot frees up only once enough of them ended:
 * the last `capacity` ends count.
 */
function slotsFreeAt({ capacity, holdersSince }: QueueStanding, now: number, jobMs: number): number[] {
  const ends = holdersSince.map((since) => Math.max(now, since + jobMs)).sort((a, b) => a - b);
  const empty = Array.from({ length: Math.max(0, capacity - ends.length) }, () => now);
  return [...empty, ...ends].slice(-capacity);
}
