/**
 * Activities that talk to the Sora job: submit, check, cancel. Built by a
 * factory from the service they use, so tests and both hosts inject theirs.
 *
 * Expected answers come back as values (see contracts/activities.ts); only
 * what nobody expects is thrown.
 */
import type { InvocationContext } from '@azure/functions';
import type { CancelVideoJobInput, CheckOutcome, GetVideoJobInput, SubmitOutcome, SubmitVideoJobInput } from '../contracts/activities';
import type { VideoSpec } from '../contracts/orchestration';
import { SoraError } from '../sora/errors';
import type { SoraApi, SoraVideoRequest, VideoService } from '../sora/types';
import { serviceErrorInfo } from './service-error';

export type SoraFor = (api: SoraApi) => VideoService;

export function createSoraActivities(soraFor: SoraFor) {
  return {
    /**
     * Not idempotent by nature: neither Sora API takes an idempotency key. The
     * orchestrator therefore resubmits only on 429 (the service certainly did
     * not take the job); any other failure ends the request instead of risking
     * a second paid job.
     */
    submitVideoJob: async (input: SubmitVideoJobInput, context: InvocationContext): Promise<SubmitOutcome> => {
      try {
        const job = await soraFor(input.spec.api).submit(toSoraRequest(input.spec));
        context.log(`Request ${input.requestId}: Sora accepted job ${job.id}`);
        return { kind: 'accepted', job };
      } catch (error) {
        if (!(error instanceof SoraError)) throw error;
        context.warn(`Request ${input.requestId}: Sora refused the job: ${error.message}`);
        if (error.status === 429) return { kind: 'throttled', error: serviceErrorInfo(error), retryAfterMs: error.retryAfterMs };
        return { kind: 'rejected', error: serviceErrorInfo(error) };
      }
    },

    getVideoJob: async (input: GetVideoJobInput, context: InvocationContext): Promise<CheckOutcome> => {
      try {
        return { kind: 'status', job: await soraFor(input.api).getJob(input.soraJobId) };
      } catch (error) {
        if (!(error instanceof SoraError)) throw error;
        context.warn(`Status check of ${input.soraJobId} failed: ${error.message}`);
        const info = serviceErrorInfo(error);
        return error.retryable ? { kind: 'unavailable', error: info, retryAfterMs: error.retryAfterMs } : { kind: 'rejected', error: info };
      }
    },

    /** Best effort: the request ends cancelled or timed out either way; a job left behind expires at Sora. */
    cancelVideoJob: async (input: CancelVideoJobInput, context: InvocationContext): Promise<boolean> => {
      try {
        await soraFor(input.api).cancel(input.soraJobId);
        return true;
      } catch (error) {
        if (!(error instanceof SoraError)) throw error;
        context.warn(`Could not cancel Sora job ${input.soraJobId}: ${error.message}`);
        return false;
      }
    },
  };
}

function toSoraRequest(spec: VideoSpec): SoraVideoRequest {
  return { prompt: spec.prompt, width: spec.width, height: spec.height, nSeconds: spec.nSeconds, nVariants: spec.nVariants };
}
