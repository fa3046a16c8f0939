/**
 * Requests and activity answers for the orchestrator tests: one uploaded
 * input (so the clean-up activity runs), a small policy with round numbers,
 * and fakes under which everything succeeds, for a test to override.
 */
import type { CheckOutcome, SubmitOutcome } from '../../../src/contracts/activities';
import type { StoredVideo, VideoGenerationInput, VideoPolicy } from '../../../src/contracts/orchestration';
import type { SoraJob, SoraJobStatus } from '../../../src/sora/types';
import type { FakeActivities } from '../app/activity-fakes';

export const MINUTE = 60_000;

export const POLICY: VideoPolicy = {
  poll: { minDelayMs: 5_000, maxDelayMs: 60_000, expectedDurationMs: MINUTE },
  deadlineMs: 30 * MINUTE,
  maxSubmitAttempts: 3,
  store: { firstRetryMs: 5_000, maxAttempts: 3 },
  admission: null,
};

/** A 480x480, 5 s request with one uploaded image, as the starter would hand it over. */
export function request(requestId: string, policy: Partial<VideoPolicy> = {}): VideoGenerationInput {
  return {
    requestId,
    spec: {
      api: 'jobs',
      prompt: 'A cat playing piano in a jazz bar',
      width: 480,
      height: 480,
      nSeconds: 5,
      nVariants: 1,
      inputs: [
        { type: 'image', fileName: 'cat.jpg', container: 'video-inputs', blobName: `${requestId}/cat.jpg`, contentType: 'image/jpeg', bytes: 1024, frameIndex: 0, origin: 'upload' },
      ],
    },
    policy: { ...POLICY, ...policy },
    output: { container: 'videos' },
    acceptedAt: new Date(0).toISOString(),
  };
}

/** The Sora job id the fakes hand out for a request. */
export function jobIdOf(requestId: string): string {
  return `task_${requestId}`;
}

export function soraJob(id: string, status: SoraJobStatus): SoraJob {
  return {
    id,
    status,
    progress: null,
    createdAt: 0,
    finishedAt: null,
    expiresAt: null,
    generations: status === 'succeeded' ? [{ id: `gen_${id}` }] : [],
    failureReason: null,
    failureMessage: null,
  };
}

/** Sora's 429 before it took the job, with its retry-after (null when Sora sent none). */
export function throttled(retryAfterMs: number | null): SubmitOutcome {
  return { kind: 'throttled', error: { status: 429, code: 'too_many_requests', message: 'Rate limit reached', param: null, requestId: 'sora-req-1' }, retryAfterMs };
}

export function accepted(requestId: string): SubmitOutcome {
  return { kind: 'accepted', job: soraJob(jobIdOf(requestId), 'queued') };
}

export function jobStatus(requestId: string, status: SoraJobStatus): CheckOutcome {
  return { kind: 'status', job: soraJob(jobIdOf(requestId), status) };
}

/** Every activity succeeds: Sora takes the job, finds it done at the first check, the copy and the manifest are written. */
export function succeedingActivities(requestId: string): FakeActivities {
  return {
    submitVideoJob: () => accepted(requestId),
    getVideoJob: () => jobStatus(requestId, 'succeeded'),
    cancelVideoJob: () => true,
    abandonSubmission: () => null,
    storeVideo: (input): StoredVideo => ({
      variant: input.variant,
      generationId: input.generationId,
      blobName: `${input.requestId}/${input.variant}.mp4`,
      thumbnailBlobName: `${input.requestId}/${input.variant}.jpg`,
      contentType: 'video/mp4',
      bytes: 618_220,
      sha256: '8df0c1',
    }),
    writeManifest: (manifest) => `${manifest.requestId}/manifest.json`,
    deleteInputs: (inputs) => inputs.length,
    recordVideoRequest: () => 'recorded',
    publishCompletion: () => 'published',
    startWebhookDelivery: () => 'started',
    deliverWebhook: () => ({ kind: 'delivered', status: 200 }),
  };
}
