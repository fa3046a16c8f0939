/**
 * Where the admission bench's time goes, read from each request's durable
 * history (the host's status API with showHistory) and the emulator's job
 * creation times, all on the host's clock.
 *
 * A slot is idle from the moment one job ends at Sora until the next job is
 * created there. That handover is split into: detection (until a status check
 * sees the job ended), held (until the holder gives the slot back: storing,
 * when the release waits for it), release and wake (the limiter's release,
 * the notifySlotGranted activity, the grant event, the waiter asking again)
 * and submit (until the waiter's create reaches Sora).
 */
import { median } from './measure';

/** One event of the status API's historyEvents, as far as this file reads it. */
export interface HistoryEvent {
  EventType: string;
  Timestamp: string;
  Name?: string;
  FunctionName?: string;
  ScheduledTime?: string;
  Input?: unknown;
  Result?: unknown;
}

export interface RequestRecord {
  id: string;
  history: HistoryEvent[];
  soraJobId: string | null;
  /** When the emulator created the request's job. */
  jobCreatedAt: number | null;
}

/** One request's moments, in ms on the host's clock (null when it never got there). */
interface Timeline {
  id: string;
  /** When it first asked for capacity: its first limiter request, or with admission off its first create. */
  askedAt: number | null;
  /** When it got its capacity: the slot's grant, or with admission off Sora's creating its job. */
  gotAt: number | null;
  /** When the limiter's answer that it holds a slot reached it. */
  admittedAt: number | null;
  jobCreatedAt: number | null;
  jobEndedAt: number | null;
  /** The status check that saw the job ended. */
  detectedAt: number | null;
  /** Its first release of the slot, and whom that release granted a slot. */
  releasedAt: number | null;
  grantedTo: string[];
  /** When the orchestration completed (the status API's lastUpdatedTime is coarser). */
  completedAt: number | null;
}

export interface HandoverGaps {
  detectionMs: number;
  heldMs: number;
  releaseAndWakeMs: number;
  submitMs: number;
  totalMs: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export function timelineOf(record: RequestRecord, jobMs: number): Timeline {
  const at = (event: HistoryEvent) => Date.parse(event.Timestamp);
  const answers = new Map(record.history.filter((e) => e.EventType === 'EventRaised').map((e) => [e.Name, e]));
  const operations = record.history
    .filter((e) => e.EventType === 'EventSent')
    .map((sent) => {
      const message = sent.Input as { id: string; op: string; input: string };
      const answer = answers.get(message.id);
      const result = (answer?.Input as { result?: string } | undefined)?.result;
      return {
        op: message.op,
        sentAt: at(sent),
        input: JSON.parse(message.input) as { now: number; leaseMs?: number },
        answeredAt: answer === undefined ? null : at(answer),
        answer: result === undefined ? undefined : (JSON.parse(result) as { standing?: { holding: boolean; leaseUntil?: number }; granted: { instanceId: string }[] }),
      };
    });
  const requests = operations.filter((o) => o.op === 'request');
  const admitted = requests.find((o) => o.answer?.standing?.holding === true);
  const release = operations.find((o) => o.op === 'release');
  const firstSubmit = record.history.find((e) => e.EventType === 'TaskCompleted' && e.FunctionName === 'submitVideoJob');
  const detected = record.history.find(
    (e) => e.EventType === 'TaskCompleted' && e.FunctionName === 'getVideoJob' && TERMINAL.has((e.Result as { job?: { status: string } } | undefined)?.job?.status ?? ''),
  );
  const completed = record.history.find((e) => e.EventType === 'ExecutionCompleted');
  const grantedAt = admitted?.answer?.standing?.leaseUntil !== undefined && admitted.input.leaseMs !== undefined ? admitted.answer.standing.leaseUntil - admitted.input.leaseMs : null;
  const askedAtWithoutAdmission = firstSubmit?.ScheduledTime === undefined ? null : Date.parse(firstSubmit.ScheduledTime);
  return {
    id: record.id,
    askedAt: requests[0]?.input.now ?? askedAtWithoutAdmission,
    gotAt: requests.length > 0 ? grantedAt : record.jobCreatedAt,
    admittedAt: admitted?.answeredAt ?? null,
    jobCreatedAt: record.jobCreatedAt,
    jobEndedAt: record.jobCreatedAt === null ? null : record.jobCreatedAt + jobMs,
    detectedAt: detected === undefined ? null : at(detected),
    releasedAt: release?.sentAt ?? null,
    grantedTo: release?.answer?.granted.map((holder) => holder.instanceId) ?? [],
    completedAt: completed === undefined ? null : at(completed),
  };
}

/** Every handover of a slot from a request whose job ended to the waiter its release let in. */
export function handovers(timelines: readonly Timeline[]): HandoverGaps[] {
  const byId = new Map(timelines.map((t) => [t.id, t]));
  return timelines.flatMap((from) =>
    from.grantedTo.flatMap((id) => {
      const to = byId.get(id);
      const { jobEndedAt, detectedAt, releasedAt } = from;
      if (to?.admittedAt == null || to.jobCreatedAt === null || jobEndedAt === null || detectedAt === null || releasedAt === null) return [];
      return [
        {
          detectionMs: detectedAt - jobEndedAt,
          heldMs: releasedAt - detectedAt,
          releaseAndWakeMs: to.admittedAt - releasedAt,
          submitMs: to.jobCreatedAt - to.admittedAt,
          totalMs: to.jobCreatedAt - jobEndedAt,
        },
      ];
    }),
  );
}

/** The median of each part over a run's handovers. */
export function medianGaps(gaps: readonly HandoverGaps[]): HandoverGaps {
  const of = (part: keyof HandoverGaps) => median(gaps.map((gap) => gap[part]));
  return { detectionMs: of('detectionMs'), heldMs: of('heldMs'), releaseAndWakeMs: of('releaseAndWakeMs'), submitMs: of('submitMs'), totalMs: of('totalMs') };
}

/**
 * Pairs of requests that got their capacity in the opposite order to the one
 * they asked in (first come first served is 0). Requests that asked in the
 * same millisecond have no order, so they are never counted.
 */
export function orderInversions(timelines: readonly Timeline[]): number {
  const known = timelines.filter((t): t is Timeline & { askedAt: number; gotAt: number } => t.askedAt !== null && t.gotAt !== null);
  let inversions = 0;
  for (const a of known) {
    for (const b of known) if (a.askedAt < b.askedAt && a.gotAt > b.gotAt) inversions++;
  }
  return inversions;
}
