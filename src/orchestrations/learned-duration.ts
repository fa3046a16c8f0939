/**
 * The orchestrator's side of learning job durations: before a job, the
 * deployment's job-durations entity answers how long this shape takes (the
 * prior from the policy until enough jobs were seen); after a job succeeded,
 * its real duration is signalled there. Deterministic: the entity is reached
 * with `callEntity`/`signalEntity` and the orchestration's own clock.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { PollPolicy, VideoGenerationInput } from '../contracts/orchestration';
import type { DurationEstimate } from '../entities/duration-estimate';
import { JOB_DURATIONS, type EstimateDurationInput, type RecordDurationInput } from '../entities/job-durations';
import type { SoraJob } from '../sora/types';
import type { ProgressReport } from './progress-report';

type Step<T> = Generator<Task, T, unknown>;

/** The input with the poll policy this job is watched by, published in the custom status with where it came from. */
export function* withExpectedDuration(context: OrchestrationContext, input: VideoGenerationInput, report: ProgressReport): Step<VideoGenerationInput> {
  const { poll } = input.policy;
  // Inputs started before learning existed replay without the entity call they never made.
  if (poll.learning === undefined || poll.expectedFrom === undefined) return input;
  const request: EstimateDurationInput = {
    shape: poll.learning.shape,
    prior: { durationMs: poll.expectedDurationMs, source: poll.expectedFrom },
    now: context.df.currentUtcDateTime.getTime(),
  };
  const estimate = (yield context.df.callEntity(entityOf(poll.learning.entityKey), 'estimate', request)) as DurationEstimate;
  report.update({ expectedDuration: { seconds: estimate.durationMs / 1000, source: estimate.source } });
  return { ...input, policy: { ...input.policy, poll: { ...poll, expectedDurationMs: estimate.durationMs, spreadMs: estimate.spreadMs } } };
}

/**
 * Records a succeeded job's duration: Sora's own `finished_at − created_at`
 * when it gives both (exact, whenever we looked), else accepted → first seen
 * finished. The entity ignores a job it already has, so a signal delivered
 * twice counts once.
 */
export function recordJobDuration(context: OrchestrationContext, poll: PollPolicy, job: SoraJob, seenAfterMs: number): void {
  if (poll.learning === undefined) return;
  const reported = job.finishedAt === null ? 0 : (job.finishedAt - job.createdAt) * 1000;
  const record: RecordDurationInput = {
    shape: poll.learning.shape,
    observation: { soraJobId: job.id, durationMs: reported > 0 ? reported : seenAfterMs, at: context.df.currentUtcDateTime.getTime() },
  };
  context.df.signalEntity(entityOf(poll.learning.entityKey), 'record', record);
}

function entityOf(key: string): df.EntityId {
  return new df.EntityId(JOB_DURATIONS, key);
}
