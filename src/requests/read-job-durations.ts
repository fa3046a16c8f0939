/**
 * What each configured deployment has learned about its jobs' durations, per
 * job shape, as its job-durations entity holds it: how many recent jobs, the
 * duration the poll schedule expects from them and their spread — null while
 * too few were seen, when the setting or the typical duration still decides.
 */
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { configuredDeployments, type AppConfig } from '../config';
import { learnedDuration } from '../entities/duration-estimate';
import type { DurationLogState, JobShape } from '../entities/duration-log';
import { deploymentKey } from '../entities/deployment-key';
import { JOB_DURATIONS } from '../entities/job-durations';
import type { SoraApi } from '../sora/types';

export interface LearnedShape extends JobShape {
  /** Jobs of the shape recorded (at most the 20 latest). */
  jobs: number;
  /** What the poll schedule expects for the next job of the shape; null until enough recent jobs were seen. */
  expectedSeconds: number | null;
  /** How much slower than usual a slow job runs; null as expectedSeconds. */
  spreadSeconds: number | null;
  lastSeenAt: string;
}

export interface DeploymentDurations {
  api: SoraApi;
  deployment: string;
  shapes: LearnedShape[];
}

export async function readJobDurations(config: AppConfig, client: DurableClient, now: number): Promise<DeploymentDurations[]> {
  return Promise.all(
    configuredDeployments(config).map(async ({ api, deployment }) => {
      const read = await client.readEntityState<DurationLogState>(new df.EntityId(JOB_DURATIONS, deploymentKey(api, deployment)));
      const shapes = (read.entityState?.shapes ?? []).map(({ shape, observations }): LearnedShape => {
        const learned = learnedDuration(observations, now);
        return {
          ...shape,
          jobs: observations.length,
          expectedSeconds: learned === null ? null : learned.durationMs / 1000,
          spreadSeconds: learned === null ? null : learned.spreadMs / 1000,
          lastSeenAt: new Date(Math.max(...observations.map((o) => o.at))).toISOString(),
        };
      });
      return { api, deployment, shapes };
    }),
  );
}
