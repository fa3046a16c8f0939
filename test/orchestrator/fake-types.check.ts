/**
 * Compile-time proof that the fakes are typed by the app's activity contract:
 * each fake below has the wrong shape, and `tsc --noEmit -p .` fails if any of
 * them stops being an error (for instance if the fakes decayed to `any`).
 * Nothing here runs.
 */
import type { FakeActivities } from './app/activity-fakes';
import { soraJob } from './support/scenario';

type Fake<N extends keyof FakeActivities> = FakeActivities[N];

// @ts-expect-error an accepted submit carries the job Sora took
export const acceptedWithoutJob: Fake<'submitVideoJob'> = () => ({ kind: 'accepted' });

// @ts-expect-error a status check answers a CheckOutcome: 'throttled' is a submit's answer
export const checkAnsweringLikeSubmit: Fake<'getVideoJob'> = () => ({ kind: 'throttled', error: { status: 429, code: null, message: '', param: null, requestId: null }, retryAfterMs: null });

// @ts-expect-error a job carries Sora's status, not the request's public stage
export const jobInPublicStage: Fake<'getVideoJob'> = () => ({ kind: 'status', job: { ...soraJob('task_1', 'succeeded'), status: 'storing' } });

// @ts-expect-error cancelVideoJob answers whether Sora cancelled the job
export const cancelAnsweringText: Fake<'cancelVideoJob'> = () => 'cancelled';

// @ts-expect-error storeVideo answers the stored video, not only its blob name
export const storeAnsweringName: Fake<'storeVideo'> = (input) => `${input.requestId}/0.mp4`;

// @ts-expect-error deleteInputs is given every input of the request, not one
export const deleteTakingOne: Fake<'deleteInputs'> = (input: { blobName: string }) => input.blobName.length;

// @ts-expect-error writeManifest answers the manifest's blob name
export const manifestAnsweringNumber: Fake<'writeManifest'> = () => 1;
