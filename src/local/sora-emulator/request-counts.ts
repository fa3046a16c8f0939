/**
 * How many requests the emulator answered, by kind (`HEAD content`,
 * `GET getJob`, …) and whether the answer was a 429: benches show what each
 * job costs the service's request rate, and which calls it turned away.
 */
export interface RequestCount {
  kind: string;
  answered: number;
  throttled: number;
}

export class RequestCounts {
  private readonly counts = new Map<string, RequestCount>();

  record(kind: string, status: number): void {
    const count = this.counts.get(kind) ?? { kind, answered: 0, throttled: 0 };
    count.answered++;
    if (status === 429) count.throttled++;
    this.counts.set(kind, count);
  }

  /** Every kind seen, most requested first. */
  all(): RequestCount[] {
    return [...this.counts.values()].map((count) => ({ ...count })).sort((a, b) => b.answered - a.answered || a.kind.localeCompare(b.kind));
  }
}
