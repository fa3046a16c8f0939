/**
 * Each configured deployment's capacity as its limiter entity last recorded
 * it: how many requests hold a slot and how many wait. Holders whose lease
 * has run out are not counted (the entity drops them at its next operation).
 */
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { configuredDeployments, type AppConfig } from '../config';
import { deploymentKey } from '../entities/deployment-key';
import { DEPLOYMENT_LIMITER } from '../entities/deployment-limiter';
import type { SlotQueueState } from '../entities/slot-queue';
import type { SoraApi } from '../sora/types';

export interface DeploymentCapacity {
  api: SoraApi;
  deployment: string;
  /** Jobs the deployment runs at once; null when admission is off (nothing is counted then). */
  capacity: number | null;
  running: number;
  queued: number;
}

export async function readCapacity(config: AppConfig, client: DurableClient, now: number): Promise<DeploymentCapacity[]> {
  return Promise.all(
    configuredDeployments(config).map(async ({ api, deployment }) => {
      if (config.admissionCapacity === 0) return { api, deployment, capacity: null, running: 0, queued: 0 };
      const read = await client.readEntityState<SlotQueueState>(new df.EntityId(DEPLOYMENT_LIMITER, deploymentKey(api, deployment)));
      const state = read.entityState ?? { holders: [], waiters: [] };
      return {
        api,
        deployment,
        capacity: config.admissionCapacity,
        running: state.holders.filter((holder) => holder.leaseUntil > now).length,
        queued: state.waiters.length,
      };
    }),
  );
}
