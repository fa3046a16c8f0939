/**
 * Admission under a backlog: 20 requests posted at once against a deployment
 * that runs two 10-second jobs at a time (the emulator enforces it with 429s,
 * as Sora does), on the whole local stack with time skipping. Admission on
 * (ADMISSION_CAPACITY 2) beside the baseline measured in the same run:
 * admission off, every request submitting at once and resubmitting on 429.
 * Times are the host's clock (skipped time included), so they are what a
 * client would wait, not how long the machine worked. Beside the totals: how
 * many pairs of requests got their capacity out of the order they asked in,
 * and where a slot's idle time between two jobs goes (./admission-timeline.ts),
 * and the calls to Sora each request cost, by kind, as the emulator counted
 * them: the service also allows only so many requests a minute.
 */
import { exitWhenSettled, runInChildProcess } from './child-process';
import { OrchestrationRuntimeStatus } from 'durable-functions';
import { SETTINGS } from '../src/config';
import type { VideoProgress, VideoResult } from '../src/contracts/orchestration';
import type { RequestCount } from '../src/local/sora-emulator';
import { startLocalStack, type LocalStack } from '../src/local/stack';
import { handovers, medianGaps, orderInversions, timelineOf, type HandoverGaps, type HistoryEvent } from './admission-timeline';
import { median, spread } from './measure';

const REQUESTS = 20;
const CAPACITY = 2;
const JOB_SECONDS = 10;
const REPETITIONS = 3;

export interface AdmissionRun {
  succeeded: number;
  /** Creates the service answered with 429: a request's create calls, less the one that got its job. */
  throttled: number;
  wallSeconds: number;
  /** Running job time ÷ (capacity × wall time). */
  utilisation: number;
  /** Pairs of requests that got a slot (admission on) or a job (off) in the opposite order to the one they asked in. */
  inversions: number;
  /** From the start to the first job at Sora, and from the last job's end to the last request's end. */
  leadInSeconds: number;
  tailSeconds: number;
  /** Medians over the run's slot handovers (admission on only). */
  gaps: HandoverGaps | null;
  /** Requests the service answered, by kind (429s included), as counted by the emulator. */
  calls: RequestCount[];
}

async function runOnce(stack: LocalStack, tag: string): Promise<AdmissionRun> {
  const emulator = stack.emulator;
  if (!emulator) throw new Error('the bench needs the standalone stack with its emulator');
  const startedAt = stack.host.clock.now();
  const prompts = Array.from({ length: REQUESTS }, (_, i) => `Bench kite ${String(i)}`);
  const posted = await Promise.all(
    prompts.map(async (prompt, i) => {
      const response = await fetch(`${stack.baseUrl}/api/videos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: `${tag}-${String(i).padStart(2, '0')}`, prompt, n_seconds: 1 }),
      });
      if (response.status !== 202) throw new Error(`POST answered ${String(response.status)}: ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    }),
  );
  const statuses = await waitUntilAllFinished(stack, posted);
  const results = statuses.map((status) => status.output as VideoResult);
  // The emulator's jobs run exactly JOB_SECONDS each (fixed timing), so running time is jobs created × that.
  const created = emulator.createdJobs().filter((job) => prompts.includes(job.prompt));
  const runningSeconds = created.length * JOB_SECONDS;
  const timelines = await Promise.all(
    posted.map(async (id, i) => {
      const soraJobId = results[i]?.soraJobId ?? null;
      const jobCreatedAt = soraJobId === null ? null : (emulator.createdAtMs(soraJobId) ?? null);
      return timelineOf({ id, history: await historyOf(stack, id), soraJobId, jobCreatedAt }, JOB_SECONDS * 1000);
    }),
  );
  const endedAt = Math.max(...timelines.map((t) => t.completedAt ?? NaN));
  const wallSeconds = (endedAt - startedAt) / 1000;
  const jobStarts = timelines.flatMap((t) => (t.jobCreatedAt === null ? [] : [t.jobCreatedAt]));
  const jobEnds = timelines.flatMap((t) => (t.jobEndedAt === null ? [] : [t.jobEndedAt]));
  const slotHandovers = handovers(timelines);
  return {
    succeeded: results.filter((result) => result.outcome === 'succeeded').length,
    throttled: statuses.reduce((sum, status, i) => sum + throttledCreates(status.customStatus as VideoProgress, results[i]), 0),
    wallSeconds,
    utilisation: runningSeconds / (CAPACITY * wallSeconds),
    inversions: orderInversions(timelines),
    leadInSeconds: (Math.min(...jobStarts) - startedAt) / 1000,
    tailSeconds: (endedAt - Math.max(...jobEnds)) / 1000,
    gaps: slotHandovers.length === 0 ? null : medianGaps(slotHandovers),
    calls: emulator.requestCounts(),
  };
}

/** The request's durable history with its payloads, from the host's status API. */
async function historyOf(stack: LocalStack, id: string): Promise<HistoryEvent[]> {
  const response = await fetch(`${stack.baseUrl}/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}?showHistory=true&showHistoryOutput=true`);
  if (!response.ok) throw new Error(`status of ${id} answered ${String(response.status)}`);
  return ((await response.json()) as { historyEvents: HistoryEvent[] }).historyEvents;
}

type Status = Awaited<ReturnType<LocalStack['host']['client']['getStatus']>>;

async function waitUntilAllFinished(stack: LocalStack, ids: readonly string[]): Promise<Status[]> {
  for (;;) {
    await stack.host.waitForIdle();
    const statuses = await Promise.all(ids.map((id) => stack.host.client.getStatus(id)));
    if (statuses.every((status) => status.runtimeStatus === OrchestrationRuntimeStatus.Completed)) return statuses;
    // Renders run outside the host's idle tracking: give them a moment before looking again.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** No faults are injected here, so every create that got no job was a 429. */
function throttledCreates(progress: VideoProgress, result: VideoResult | undefined): number {
  return progress.submit.calls - (result?.soraJobId === null || result === undefined ? 0 : 1);
}

/** The emulator's default, as Sora's: 60 requests a minute per resource. */
const REQUESTS_PER_MINUTE = 60;

function stackWith(capacity: number, requestsPerMinute: number): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    timeSkipping: true,
    standalone: true,
    emulator: { log: () => undefined, jobSeconds: JOB_SECONDS, maxRunningJobs: CAPACITY, requestsPerMinute },
    settings: { [SETTINGS.admissionCapacity]: String(capacity) },
  });
}

export async function benchAdmission(): Promise<{ name: string; runs: AdmissionRun[] }[]> {
  const contenders = [
    { name: 'baseline: admission off (submit at once, resubmit on 429)', capacity: 0, requestsPerMinute: REQUESTS_PER_MINUTE, runs: [] as AdmissionRun[] },
    { name: `admission on (capacity ${String(CAPACITY)})`, capacity: CAPACITY, requestsPerMinute: REQUESTS_PER_MINUTE, runs: [] as AdmissionRun[] },
    // What admission does without the service's ceiling on requests a minute. At 95 % of two 10 s slots that is 11.4
    // jobs a minute, so a job may cost at most 5.2 requests (create, status checks, the video's GETs, the thumbnail;
    // counted per kind in the table) before the ceiling, not the slots, decides when the next one starts.
    { name: `diagnostic: admission on, the emulator's request rate limit lifted`, capacity: CAPACITY, requestsPerMinute: 100_000, runs: [] as AdmissionRun[] },
  ];
  // The app can be loaded once per process (app.setup), so each run is a child process; runs take turns (A B C, A B C, A B C).
  for (let run = 0; run < REPETITIONS; run++) {
    for (const contender of contenders) contender.runs.push(await runInChild(contender.capacity, contender.requestsPerMinute));
  }
  return contenders.map(({ name, runs }) => ({ name, runs }));
}

async function runInChild(capacity: number, requestsPerMinute: number): Promise<AdmissionRun> {
  return runInChildProcess<AdmissionRun>(__filename, [String(capacity), String(requestsPerMinute)]);
}

/** The child: one run on a fresh stack, its figures printed as the last line. */
async function childRun(capacity: number, requestsPerMinute: number): Promise<void> {
  const stack = await stackWith(capacity, requestsPerMinute);
  try {
    console.log(JSON.stringify(await runOnce(stack, `bench-${String(capacity)}`)));
  } finally {
    await stack.close();
  }
}

if (require.main === module) {
  exitWhenSettled(childRun(Number(process.argv[2]), Number(process.argv[3])));
}

/** One part of the handover, in ms, over the runs that had handovers. */
function gapPart(runs: readonly AdmissionRun[], part: keyof HandoverGaps): string {
  return spread(
    runs.flatMap((r) => (r.gaps === null ? [] : [r.gaps[part]])),
    0,
  );
}

/** Each kind's requests per request made, with the 429s among them, medians over the runs (kinds most requested first). */
function callsPerJob(runs: readonly AdmissionRun[]): string {
  const kinds = [...new Set(runs.flatMap((r) => r.calls.map((c) => c.kind)))];
  const per = (r: AdmissionRun, pick: (c: RequestCount) => number, kind?: string): number =>
    r.calls.filter((c) => kind === undefined || c.kind === kind).reduce((sum, c) => sum + pick(c), 0) / REQUESTS;
  const parts = kinds.map((kind) => {
    const throttled = runs.map((r) => per(r, (c) => c.throttled, kind));
    const answered = runs.map((r) => per(r, (c) => c.answered, kind));
    return { kind, answered: median(answered), text: `${kind} ${spread(answered, 2)}${Math.max(...throttled) > 0 ? ` (429 ${spread(throttled, 2)})` : ''}` };
  });
  parts.sort((a, b) => b.answered - a.answered);
  return `total ${spread(runs.map((r) => per(r, (c) => c.answered)), 2)} · ${parts.map((p) => p.text).join(' · ')}`;
}

export function printAdmissionTable(rows: readonly { name: string; runs: AdmissionRun[] }[]): void {
  const ideal = Math.ceil(REQUESTS / CAPACITY) * JOB_SECONDS;
  console.log(`\nAdmission: ${String(REQUESTS)} requests at once, ${String(CAPACITY)} slots, ${String(JOB_SECONDS)} s jobs (ideal wall time ${String(ideal)} s); median (min–max) of ${String(REPETITIONS)}`);
  for (const { name, runs } of rows) {
    console.log(
      `  ${name}\n` +
        `    succeeded ${spread(runs.map((r) => r.succeeded), 0)} of ${String(REQUESTS)} · 429s from the service ${spread(runs.map((r) => r.throttled), 0)}` +
        ` · wall ${spread(runs.map((r) => r.wallSeconds), 1)} s · utilisation ${spread(runs.map((r) => r.utilisation * 100), 1)} %\n` +
        `    out-of-order pairs (0 = first come first served) ${spread(runs.map((r) => r.inversions), 0)}` +
        ` · first job after ${spread(runs.map((r) => r.leadInSeconds), 2)} s · last request ended ${spread(runs.map((r) => r.tailSeconds), 2)} s after the last job`,
    );
    console.log(`    Sora calls per request: ${callsPerJob(runs)}`);
    if (runs.some((r) => r.gaps !== null)) {
      console.log(
        `    a slot between two jobs, ms (median handover of each run): detection ${gapPart(runs, 'detectionMs')} · held after ${gapPart(runs, 'heldMs')}` +
          ` · release and wake ${gapPart(runs, 'releaseAndWakeMs')} · submit ${gapPart(runs, 'submitMs')} · total ${gapPart(runs, 'totalMs')}`,
      );
    }
  }
}
