/**
 * Each configured deployment's capacity as its limiter entity last recorded
 * it: how many requests hold a slot and how many wait. Holders whose lease
 * has run out are not counted (the entity drops them at its next operation).
 */
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { AppConfig } from '../config';
import { DEPLOYMENT_LIMITER, limiterKey } from '../entities/deployment-limiter';
import type { SlotQueueState } from '../entities/slot-queue';
import { SORA_APIS, type SoraApi } from '../sora/types';

export interface DeploymentCapacity {
  api: SoraApi;
  deployment: string;
  /** Jobs the deployment runs at once; null when admission is off (nothing is counted then). */
  capacity: number | null;
  running: number;
  queued: number;
}

export async function readCapacity(config: AppConfig, client: DurableClient, now: number): Promise<DeploymentCapacity[]> {
  const configured = SORA_APIS.flatMap((api) => {
    const deployment = config.sora.deployments[api];
    return deployment === undefined ? [] : [{ api, deployment }];
  });
  return Promise.all(
    configured.map(async ({ api, deployment }) => {
      if (config.admissionCapacity === 0) return { api, deployment, capacity: null, running: 0, queued: 0 };
      const read = await client.readEntityState<SlotQueueState>(new df.EntityId(DEPLOYMENT_LIMITER, limiterKey(api, deployment)));
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
