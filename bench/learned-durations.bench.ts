/**
 * The poll schedule when the expected duration is wrong: the emulator runs in
 * the service's timing (1920x1080, 20 s takes 300 s) while
 * POLL_EXPECTED_JOB_SECONDS says 60 s. Three jobs of that shape run to the
 * end, then a fourth is measured: status calls, and detection lag (its last
 * status call − the job's end as Sora reports it). Beside it, in the same
 * run: the schedule before learning (the first job on a fresh stack, watched
 * by the setting alone — nothing learned yet, exactly the old rule), and the
 * correctly configured case (the setting says 300 s; again the fourth job).
 * Times are the host's clock under time skipping: what a client would wait.
 */
import { exitWhenSettled, runInChildProcess } from './child-process';
import { OrchestrationRuntimeStatus } from 'durable-functions';
import { SETTINGS } from '../src/config';
import type { VideoProgress } from '../src/contracts/orchestration';
import { startLocalStack, type LocalStack } from '../src/local/stack';
import { createVideoService } from '../src/sora';
import { spread } from './measure';

const REPETITIONS = 3;
const SHAPE = { width: 1920, height: 1080, n_seconds: 20 };

interface Case {
  name: string;
  settingSeconds: number;
  /** Jobs of the shape run before the measured one. */
  before: number;
}

const CASES: Case[] = [
  { name: "today's schedule: setting 60 s, nothing learned (first job)", settingSeconds: 60, before: 0 },
  { name: 'learned: setting 60 s, fourth job after three', settingSeconds: 60, before: 3 },
  { name: 'correctly configured: setting 300 s, fourth job after three', settingSeconds: 300, before: 3 },
];

export interface PollRun {
  calls: number;
  lagSeconds: number;
  source: string;
}

async function runJob(stack: LocalStack, prompt: string): Promise<PollRun> {
  const emulator = stack.emulator;
  if (!emulator) throw new Error('the bench needs the standalone stack with its emulator');
  const response = await fetch(`${stack.baseUrl}/api/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, ...SHAPE }) });
  if (response.status !== 202) throw new Error(`POST answered ${String(response.status)}: ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  const status = await waitUntilFinished(stack, id);
  const progress = status.customStatus as VideoProgress;
  const output = status.output as { outcome: string; soraJobId: string | null };
  if (output.outcome !== 'succeeded' || output.soraJobId === null) throw new Error(`request ${id} ended ${output.outcome}`);
  const sora = createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, apiKey: emulator.apiKey });
  const job = await sora.getJob(output.soraJobId);
  return {
    calls: progress.checks,
    lagSeconds: (Date.parse(progress.lastCheckAt ?? '') - (job.finishedAt ?? NaN) * 1000) / 1000,
    source: progress.expectedDuration?.source ?? 'none',
  };
}

type Status = Awaited<ReturnType<LocalStack['host']['client']['getStatus']>>;

async function waitUntilFinished(stack: LocalStack, id: string): Promise<Status> {
  for (;;) {
    await stack.host.waitForIdle();
    const status = await stack.host.client.getStatus(id);
    if (status.runtimeStatus === OrchestrationRuntimeStatus.Completed || status.runtimeStatus === OrchestrationRuntimeStatus.Failed) return status;
    // Renders run outside the host's idle tracking: give them a moment before looking again.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function benchLearnedDurations(): Promise<{ name: string; runs: PollRun[] }[]> {
  const rows = CASES.map((c) => ({ name: c.name, runs: [] as PollRun[] }));
  // The app can be loaded once per process (app.setup), so each run is a child process; runs take turns (A B C, A B C, A B C).
  for (let run = 0; run < REPETITIONS; run++) {
    for (const [i, c] of CASES.entries()) rows[i]?.runs.push(await runInChild(c));
  }
  return rows;
}

async function runInChild(c: Case): Promise<PollRun> {
  return runInChildProcess<PollRun>(__filename, [String(c.settingSeconds), String(c.before)]);
}

/** The child: a fresh stack, `before` jobs of the shape, then the measured one, its figures printed as the last line. */
async function childRun(settingSeconds: number, before: number): Promise<void> {
  const stack = await startLocalStack({
    port: 0,
    timeSkipping: true,
    standalone: true,
    emulator: { log: () => undefined, timing: 'service' },
    settings: { [SETTINGS.pollExpectedJobSeconds]: String(settingSeconds) },
  });
  try {
    for (let n = 1; n <= before; n++) await runJob(stack, `Bench harbour, take ${String(n)}`);
    console.log(JSON.stringify(await runJob(stack, 'Bench harbour, measured')));
  } finally {
    await stack.close();
  }
}

if (require.main === module) {
  exitWhenSettled(childRun(Number(process.argv[2]), Number(process.argv[3])));
}

export function printLearnedDurationsTable(rows: readonly { name: string; runs: PollRun[] }[]): void {
  console.log(
    `\nPoll schedule: 1920x1080, 20 s jobs taking 300 s (emulator in service timing), time skipping; goal for the learned case ≤ 8 calls, ≤ 10 s lag\n` +
      `${String(REPETITIONS)} runs each, taking turns; median (min–max)`,
  );
  console.table(
    rows.map(({ name, runs }) => ({
      case: name,
      'status calls': spread(runs.map((r) => r.calls), 0),
      'detection lag (s)': spread(runs.map((r) => r.lagSeconds), 1),
      'expected duration from': [...new Set(runs.map((r) => r.source))].join(', '),
    })),
  );
}
