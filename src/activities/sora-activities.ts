/**
 * Activities that talk to the Sora job: submit, check, cancel. Built by a
 * factory from the app's dependencies, so tests and both hosts inject theirs.
 *
 * Expected answers come back as values (see contracts/activities.ts); only
 * what nobody expects is thrown.
 */
import type { Readable } from 'node:stream';
import type { InvocationContext } from '@azure/functions';
import type { CancelVideoJobInput, CheckOutcome, GetVideoJobInput, SubmitOutcome, SubmitVideoJobInput } from '../contracts/activities';
import type { InputMedia, VideoSpec } from '../contracts/orchestration';
import type { Dependencies } from '../dependencies';
import { SoraError } from '../sora/errors';
import type { SoraVideoRequest } from '../sora/types';
import { openInputBlob } from './input-activities';
import { serviceErrorInfo } from './service-error';

type OpenInput = (input: InputMedia) => Promise<Readable>;

export function createSoraActivities(deps: () => Dependencies) {
  const soraFor = (api: VideoSpec['api']) => deps().soraFor(api);
  const openInput: OpenInput = (input) => openInputBlob(deps().blobService, input);
  return {
    /**
     * Not idempotent by nature: neither Sora API takes an idempotency key. The
     * orchestrator therefore resubmits only on 429 (the service certainly did
     * not take the job); any other failure ends the request instead of risking
     * a second paid job.
     */
    submitVideoJob: async (input: SubmitVideoJobInput, context: InvocationContext): Promise<SubmitOutcome> => {
      try {
        const job = await soraFor(input.spec.api).submit(toSoraRequest(input.spec, openInput));
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

/** Inputs travel as blob names; each attempt streams them from Blob Storage into Sora's multipart request. */
function toSoraRequest(spec: VideoSpec, openInput: OpenInput): SoraVideoRequest {
  const inputs = spec.inputs ?? [];
  return {
    prompt: spec.prompt,
    width: spec.width,
    height: spec.height,
    nSeconds: spec.nSeconds,
    nVariants: spec.nVariants,
    ...(spec.api === 'jobs' && inputs.length > 0
      ? { inpaintItems: inputs.map((i) => ({ type: i.type, fileName: i.fileName, frameIndex: i.frameIndex, ...(i.cropBounds ? { cropBounds: i.cropBounds } : {}) })) }
      : {}),
    ...(inputs.length > 0 ? { files: inputs.map((i) => ({ fileName: i.fileName, contentType: i.contentType, size: i.bytes, open: () => openInput(i) })) } : {}),
    ...(spec.remixOf ? { remixOf: spec.remixOf.soraVideoId } : {}),
  };
}
