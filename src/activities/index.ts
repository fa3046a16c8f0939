/**
 * Every activity of the app, from one factory over the app's dependencies:
 * `index.ts` registers each under its key, and orchestrators call them through
 * `callActivity` (./typed-call.ts), typed by this object's shape. Adding an
 * activity means adding it here, nowhere else.
 */
import type { Dependencies } from '../dependencies';
import { createIndexActivities } from './index-activities';
import { createBatchActivities } from './batch-activities';
import { createEventActivities } from './event-activities';
import { createInputActivities } from './input-activities';
import { createSlotActivities } from './slot-activities';
import { createSoraActivities } from './sora-activities';
import { createStoreActivities } from './store-activities';

export function createActivities(deps: () => Dependencies) {
  return {
    ...createSoraActivities(deps),
    ...createStoreActivities(deps),
    ...createInputActivities(deps),
    ...createSlotActivities(),
    ...createIndexActivities(deps),
    ...createBatchActivities(),
    ...createEventActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type ActivityName = keyof Activities;
