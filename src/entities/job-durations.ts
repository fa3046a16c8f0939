/**
 * The job-durations entity: one instance per Sora deployment (key = API +
 * deployment, like the limiter's) learning how long its jobs really take,
 * per job shape. Orchestrations signal `record` when a job succeeded and call
 * `estimate` before the next one; both carry the caller's clock, so the
 * entity reads neither settings nor wall time.
 */
import type { EntityContext, EntityHandler } from 'durable-functions';
import { estimateDuration, type DurationEstimate, type DurationObservation, type DurationPrior } from './duration-estimate';
import { emptyDurationLog, observationsOf, recordDuration, type DurationLogState, type JobShape } from './duration-log';

export const JOB_DURATIONS = 'jobDurations';

export interface RecordDurationInput {
  shape: JobShape;
  observation: DurationObservation;
}

export interface EstimateDurationInput {
  shape: JobShape;
  prior: DurationPrior;
  now: number;
}

export const jobDurations: EntityHandler<DurationLogState> = (context: EntityContext<DurationLogState>) => {
  const state = context.df.getState(emptyDurationLog) ?? emptyDurationLog();
  switch (context.df.operationName) {
    case 'record': {
      const input = context.df.getInput<RecordDurationInput>();
      if (input === undefined) throw new Error('record needs { shape, observation }');
      if (recordDuration(state, input.shape, input.observation)) context.df.setState(state);
      return;
    }
    case 'estimate': {
      const input = context.df.getInput<EstimateDurationInput>();
      if (input === undefined) throw new Error('estimate needs { shape, prior, now }');
      context.df.return(estimateDuration(observationsOf(state, input.shape), input.prior, input.now) satisfies DurationEstimate);
      return;
    }
    default:
      throw new Error(`The job-durations entity has no operation '${context.df.operationName ?? ''}'.`);
  }
};
