/**
 * The submit activity run again and again for one request, as Durable
 * Functions may (at-least-once), against Azurite and the Sora emulator over
 * HTTP: whatever got lost — the activity's result, Sora's answer — the
 * request ends up with one job, and the emulator made exactly one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { submitReconciled, type SubmissionParts } from '../../src/activities/reconciled-submit';
import type { SubmitOutcome } from '../../src/contracts/activities';
import { createVideoService, SoraError, type JobsClient } from '../../src/sora';
import { JobClaims } from '../../src/storage/job-claims';
import { SubmissionLedger } from '../../src/storage/submission-ledger';
import { jobsSpec, startParts, type Parts } from './support';

let p: Parts;

beforeAll(async () => {
  p = await startParts();
});
afterEach(() => {
  p.emulator.faults.clear();
});
afterAll(async () => {
  await p.close();
});

function submit(requestId: string, prompt: string, attempt: number, spec = jobsSpec(prompt)): Promise<SubmitOutcome> {
  return p.activities.submitVideoJob({ requestId, spec, attempt }, p.context());
}

function jobIdOf(outcome: SubmitOutcome): string {
  if (outcome.kind !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
  return outcome.job.id;
}

describe('a repeated run of one submit call', () => {
  it('gives back the job the first run made when only its result was lost', async () => {
    const prompt = 'Result lost after Sora answered';
    const first = jobIdOf(await submit('req-result-lost', prompt, 1));
    const again = jobIdOf(await submit('req-result-lost', prompt, 1));
    expect(again).toBe(first);
    expect(p.jobsWithPrompt(prompt)).toEqual([first]);
  });

  it("adopts the job Sora made when Sora's answer was lost on the way", async () => {
    const prompt = 'Answer lost, job made';
    p.emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
    const lost = await submit('req-answer-lost', prompt, 1);
    expect(lost).toMatchObject({ kind: 'unsure', error: { code: 'network_error' } });
    expect(p.jobsWithPrompt(prompt)).toHaveLength(1);

    const adopted = jobIdOf(await submit('req-answer-lost', prompt, 1));
    expect(p.jobsWithPrompt(prompt)).toEqual([adopted]);
  });
});

describe('a 5xx on create that Sora did not take', () => {
  it('is not created again by a repeated run of the same call, but once by the next call', async () => {
    const prompt = 'Five hundred, nothing made';
    p.emulator.faults.add({ kind: 'status', operation: 'createJob', status: 500, times: 1 });
    expect(await submit('req-500', prompt, 1)).toMatchObject({ kind: 'unsure', error: { status: 500, code: 'internal_error' } });

    // The same call again has had no back-off: nothing found proves nothing yet.
    expect(await submit('req-500', prompt, 1)).toMatchObject({ kind: 'unsure', error: { code: 'create_unconfirmed' }, retryAfterMs: 10_000 });
    expect(p.jobsWithPrompt(prompt)).toEqual([]);

    const created = jobIdOf(await submit('req-500', prompt, 2));
    expect(p.jobsWithPrompt(prompt)).toEqual([created]);
  });

  it('stays unsure, creating nothing, while the list cannot be read', async () => {
    const prompt = 'Five hundred, then no list';
    p.emulator.faults.add({ kind: 'status', operation: 'createJob', status: 500, times: 1 });
    p.emulator.faults.add({ kind: 'status', operation: 'listJobs', status: 503, times: 1, retryAfterSeconds: 40 });
    await submit('req-no-list', prompt, 1);
    expect(await submit('req-no-list', prompt, 2)).toMatchObject({ kind: 'unsure', error: { status: 503 }, retryAfterMs: 40_000 });
    expect(p.jobsWithPrompt(prompt)).toEqual([]);
    const created = jobIdOf(await submit('req-no-list', prompt, 3));
    expect(p.jobsWithPrompt(prompt)).toEqual([created]);
  });
});

describe('certain refusals', () => {
  it('a 429 is throttled and leaves nothing to look for: the next call creates at once', async () => {
    const prompt = 'Throttled once';
    p.emulator.faults.add({ kind: 'status', operation: 'createJob', status: 429, times: 1, retryAfterSeconds: 3 });
    p.emulator.faults.add({ kind: 'status', operation: 'listJobs', status: 503, times: 1 });
    expect(await submit('req-429', prompt, 1)).toMatchObject({ kind: 'throttled', retryAfterMs: 3000 });
    // Had the 429 been taken for "maybe made", this call would have listed and hit the 503.
    const created = jobIdOf(await submit('req-429', prompt, 2));
    expect(p.jobsWithPrompt(prompt)).toEqual([created]);
  });
});

describe('two requests with the same prompt', () => {
  it('never adopt the same job: one claimed by another request is passed over', async () => {
    const prompt = 'Twins in flight';
    const first = jobIdOf(await submit('req-twin-a', prompt, 1));
    p.emulator.faults.add({ kind: 'status', operation: 'createJob', status: 500, times: 1 });
    await submit('req-twin-b', prompt, 1);
    // The list shows the first request's job, same prompt and parameters, created after this intent: claimed, so not adopted.
    const second = jobIdOf(await submit('req-twin-b', prompt, 2));
    expect(second).not.toBe(first);
    expect(p.jobsWithPrompt(prompt)).toEqual([first, second]);
  });

  it('a request whose fresh job another request adopted first creates another, so neither job runs unwatched', async () => {
    const prompt = 'Adopted before claimed';
    const parts = (sora: SubmissionParts['sora']): SubmissionParts => {
      const container = p.deps.blobService.getContainerClient(p.deps.config.storage.ledgerContainer);
      return { sora, target: p.deps.targetOf('jobs'), ledger: new SubmissionLedger(container), claims: new JobClaims(container), settleMs: 1000, now: () => Date.now(), log: () => undefined, warn: () => undefined };
    };
    const real: JobsClient = createVideoService({ api: 'jobs', endpoint: p.emulator.endpoint, deployment: p.emulator.deployments.jobs, apiKey: p.emulator.apiKey });
    const request = { prompt, width: 480, height: 480, nSeconds: 1, nVariants: 1 };

    // Request A's create fails with a 500 and makes nothing.
    p.emulator.faults.add({ kind: 'status', operation: 'createJob', status: 500, times: 1 });
    await submitReconciled(parts(real), { requestId: 'req-early', spec: jobsSpec(prompt), attempt: 1 }, request);

    // Request B's create is answered; before B can claim its job, A's next call finds that job and claims it.
    let adoptedByA: SubmitOutcome | undefined;
    const racing: SubmissionParts['sora'] = Object.assign(Object.create(real) as JobsClient, {
      submit: async (...args: Parameters<JobsClient['submit']>) => {
        const job = await real.submit(...args);
        adoptedByA = await submitReconciled(parts(real), { requestId: 'req-early', spec: jobsSpec(prompt), attempt: 2 }, request);
        return job;
      },
    });
    const late = await submitReconciled(parts(racing), { requestId: 'req-late', spec: jobsSpec(prompt), attempt: 1 }, request);
    const [made] = p.jobsWithPrompt(prompt);
    expect(adoptedByA).toMatchObject({ kind: 'accepted', job: { id: made } });
    expect(late).toMatchObject({ kind: 'unsure', error: { code: 'job_adopted_elsewhere' } });

    // B looks for a job A may have left (there is none) and then creates its own.
    const own = jobIdOf(await submitReconciled(parts(real), { requestId: 'req-late', spec: jobsSpec(prompt), attempt: 2 }, request));
    expect(p.jobsWithPrompt(prompt)).toEqual([made, own]);
  });
});

describe('the videos API', () => {
  it("adopts the video Sora made when Sora's answer was lost", async () => {
    const prompt = 'A lighthouse, answer lost';
    const spec = { api: 'videos' as const, prompt, width: 720, height: 1280, nSeconds: 4, nVariants: 1 };
    p.emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createVideo', times: 1 });
    expect(await submit('req-video-lost', prompt, 1, spec)).toMatchObject({ kind: 'unsure' });
    const adopted = jobIdOf(await submit('req-video-lost', prompt, 2, spec));
    expect(adopted).toMatch(/^video_/);
    expect(p.jobsWithPrompt(prompt)).toEqual([adopted]);
  });
});

describe('giving up while unsure', () => {
  it('cancels the job the lost create made, so it does not run unwatched', async () => {
    const prompt = 'Given up on';
    p.emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
    await submit('req-abandoned', prompt, 1);
    const [made] = p.jobsWithPrompt(prompt);
    expect(await p.activities.abandonSubmission({ requestId: 'req-abandoned', spec: jobsSpec(prompt) }, p.context())).toBe(made);
    const status = await p.deps
      .soraFor('jobs')
      .getJob(made ?? '')
      .then(
        (job) => job.status,
        (error: unknown) => (error instanceof SoraError ? error.status : error),
      );
    expect(status).toBe('cancelled');
  });

  it('finds nothing to cancel when the create certainly made nothing', async () => {
    const prompt = 'Given up, nothing made';
    p.emulator.faults.add({ kind: 'status', operation: 'createJob', status: 503, times: 1 });
    await submit('req-abandoned-empty', prompt, 1);
    expect(await p.activities.abandonSubmission({ requestId: 'req-abandoned-empty', spec: jobsSpec(prompt) }, p.context())).toBeNull();
  });
});
