/**
 * Activities that talk to the Sora job: submit, check, cancel. Built by a
 * factory from the app's dependencies, so tests and both hosts inject theirs.
 *
 * Expected answers come back as values (see contracts/activities.ts); only
 * what nobody expects is thrown.
 */
import type { Readable } from 'node:stream';
import type { InvocationContext } from '@azure/functions';
import type { AbandonSubmissionInput, CancelVideoJobInput, CheckOutcome, GetVideoJobInput, SubmitOutcome, SubmitVideoJobInput } from '../contracts/activities';
import type { InputMedia, VideoSpec } from '../contracts/orchestration';
import type { Dependencies } from '../dependencies';
import { SoraError } from '../sora/errors';
import type { SoraVideoRequest } from '../sora/types';
import { ensureContainer } from '../storage/blob-service';
import { JobClaims } from '../storage/job-claims';
import { SubmissionLedger } from '../storage/submission-ledger';
import { openInputBlob } from './input-activities';
import { abandonReconciled, submitReconciled, type SubmissionParts } from './reconciled-submit';
import { callErrorInfo } from './service-error';

type OpenInput = (input: InputMedia) => Promise<Readable>;

export function createSoraActivities(deps: () => Dependencies) {
  const soraFor = (api: VideoSpec['api']) => deps().soraFor(api);
  const openInput: OpenInput = (input) => openInputBlob(deps().blobService, input);
  const submissionParts = async (api: VideoSpec['api'], context: InvocationContext): Promise<SubmissionParts> => {
    const app = deps();
    const container = app.blobService.getContainerClient(app.config.storage.ledgerContainer);
    await ensureContainer(container);
    return {
      sora: soraFor(api),
      target: app.targetOf(api),
      ledger: new SubmissionLedger(container),
      claims: new JobClaims(container),
      // The service may still be working on a create for about as long as we waited for its answer.
      settleMs: app.config.sora.requestTimeoutMs,
      now: () => Date.now(),
      log: (line) => {
        context.log(line);
      },
      warn: (line) => {
        context.warn(line);
      },
    };
  };
  return {
    /**
     * Creates the request's Sora job at most once, although neither Sora API
     * takes an idempotency key: each create is recorded in the submission
     * ledger before it is sent, and a create that may have been taken without
     * an answer (5xx, timeout, reset) — or a run repeated after a crash — is
     * first looked for in the ledger and the service's job list and adopted
     * (see reconciled-submit.ts). Running this activity again for the same
     * request therefore returns the same job; it creates another only when
     * the service certainly has none, and says `unsure` while it cannot tell.
     */
    submitVideoJob: async (input: SubmitVideoJobInput, context: InvocationContext): Promise<SubmitOutcome> =>
      submitReconciled(await submissionParts(input.spec.api, context), input, toSoraRequest(input.spec, openInput)),

    /** Best effort: cancels the job an unsure create may have left, so it does not run unwatched; returns its id. */
    abandonSubmission: async (input: AbandonSubmissionInput, context: InvocationContext): Promise<string | null> =>
      abandonReconciled(await submissionParts(input.spec.api, context), input, toSoraRequest(input.spec, openInput)),

    getVideoJob: async (input: GetVideoJobInput, context: InvocationContext): Promise<CheckOutcome> => {
      try {
        return { kind: 'status', job: await soraFor(input.api).getJob(input.soraJobId) };
      } catch (error) {
        if (!(error instanceof SoraError)) throw error;
        context.warn(`Status check of ${input.soraJobId} failed: ${error.message}`);
        // Not retryable, so final: any 4xx, which includes a deployment that is gone (410, 404 DeploymentNotFound).
        const info = callErrorInfo(error, deps().targetOf(input.api));
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
