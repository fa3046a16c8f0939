/**
 * Creating the Sora job at most once per request although neither API takes
 * an idempotency key. Every create is written to the submission ledger
 * before it is sent and its outcome after; a create that may have been taken
 * without an answer (5xx, timeout, reset) is looked for before anything is
 * created again — first in the ledger, then in the service's own job list,
 * matched by prompt and parameters — and adopted through a claim that no
 * other request can hold at the same time. Only when the service certainly
 * has no such job is a new one created.
 */
import { randomUUID, createHash } from 'node:crypto';
import type { AbandonSubmissionInput, SubmitOutcome, SubmitVideoJobInput } from '../contracts/activities';
import type { ServiceErrorInfo, VideoSpec } from '../contracts/orchestration';
import { classifyCreateFailure } from '../sora/create-failure';
import { SoraError } from '../sora/errors';
import { adoptionCandidates } from '../sora/job-match';
import type { SoraJob, SoraVideoRequest, VideoService } from '../sora/types';
import type { DeploymentTarget } from '../sora/deployment-failure';
import type { JobClaims } from '../storage/job-claims';
import { UNRESOLVED_STATES, type LedgerAttempt, type LedgerEntry, type SubmissionLedger } from '../storage/submission-ledger';
import { callErrorInfo, isDeploymentFailure } from './service-error';

/**
 * How far before the earliest intent a listed job may say it was created:
 * our clock and the service's differ a little, and `created_at` is whole seconds.
 */
export const CLOCK_SKEW_MS = 60_000;

export interface SubmissionParts {
  sora: VideoService;
  /** The deployment `sora` calls and the setting that names it, for a message when it is gone. */
  target: DeploymentTarget;
  ledger: SubmissionLedger;
  claims: JobClaims;
  /**
   * How long the service may still turn a create we gave up on into a job:
   * an unsure create is looked for again only after this.
   */
  settleMs: number;
  now: () => number;
  log: (line: string) => void;
  warn: (line: string) => void;
}

type Search =
  | { kind: 'adopted'; job: SoraJob }
  | { kind: 'none' }
  | { kind: 'unavailable'; error: ServiceErrorInfo; retryAfterMs: number | null }
  // The deployment answers 410 or 404 DeploymentNotFound: no job of it can be run or read any more.
  | { kind: 'gone'; error: ServiceErrorInfo };

export async function submitReconciled(parts: SubmissionParts, input: SubmitVideoJobInput, request: SoraVideoRequest): Promise<SubmitOutcome> {
  const { requestId, attempt } = input;
  const entry = await parts.ledger.open(requestId, input.spec.api, fingerprintOf(input.spec));

  // A job is recorded: an earlier run made or found it, and its result was lost (the activity runs at least once).
  if (entry.soraJobId !== null) return confirmRecorded(parts, entry.soraJobId);

  const open = unresolved(entry);
  if (open.length > 0) {
    const search = await findOwnJob(parts, entry, request);
    if (search.kind === 'adopted') return { kind: 'accepted', job: search.job };
    if (search.kind === 'gone') return { kind: 'rejected', error: search.error };
    if (search.kind === 'unavailable') return unsure(parts, search.error, search.retryAfterMs);
    // Nothing found. That is proof only for creates that ended before the orchestrator's last back-off;
    // one of this very call may still be in flight, or the service may only now be making its job.
    if (open.some((a) => a.attempt >= attempt)) {
      await parts.ledger.change(requestId, (e) => withAttempts(e, open, (a) => ({ ...a, state: 'unknown', endedAt: a.endedAt ?? iso(parts.now()) })));
      return unsure(parts, { status: null, code: 'create_unconfirmed', message: 'An earlier create of this request may still be under way at Sora; looking again later.', param: null, requestId: null }, null);
    }
    await parts.ledger.change(requestId, (e) => withAttempts(e, open, (a) => ({ ...a, state: 'absent' })));
    parts.log(`Request ${requestId}: Sora has no job from the earlier create; creating one`);
  }
  return create(parts, input, request);
}

/**
 * Best effort, when the orchestrator gives up (deadline, cancel) while a
 * create is unsure: the job it may have made is found like in
 * submitReconciled and cancelled, so it does not run unwatched. Returns the
 * job's id, or null when none was found.
 */
export async function abandonReconciled(parts: SubmissionParts, input: AbandonSubmissionInput, request: SoraVideoRequest): Promise<string | null> {
  const entry = await parts.ledger.open(input.requestId, input.spec.api, fingerprintOf(input.spec));
  let jobId = entry.soraJobId;
  if (jobId === null && unresolved(entry).length > 0) {
    const search = await findOwnJob(parts, entry, request);
    if (search.kind === 'adopted') jobId = search.job.id;
    if (search.kind === 'unavailable' || search.kind === 'gone') parts.warn(`Request ${input.requestId}: giving up; a Sora job may be left running (${search.error.message})`);
  }
  if (jobId === null) return null;
  try {
    await parts.sora.cancel(jobId);
    parts.log(`Request ${input.requestId}: cancelled Sora job ${jobId} on giving up`);
  } catch (error) {
    if (!(error instanceof SoraError)) throw error;
    parts.warn(`Request ${input.requestId}: could not cancel Sora job ${jobId}: ${error.message}`);
  }
  return jobId;
}

/** Records the intent, creates, and records what came of it. */
async function create(parts: SubmissionParts, input: SubmitVideoJobInput, request: SoraVideoRequest): Promise<SubmitOutcome> {
  const { requestId } = input;
  const intent: LedgerAttempt = { id: randomUUID(), attempt: input.attempt, intentAt: iso(parts.now()), state: 'sending', endedAt: null, code: null, lostTo: null };
  await parts.ledger.change(requestId, (e) => ({ ...e, attempts: [...e.attempts, intent] }));
  const settle = (change: Partial<LedgerAttempt>, entryChange: (e: LedgerEntry) => Partial<LedgerEntry> = () => ({})) =>
    parts.ledger.change(requestId, (e) => ({ ...withAttempts(e, [intent], (a) => ({ ...a, endedAt: iso(parts.now()), ...change })), ...entryChange(e) }));

  let job: SoraJob;
  try {
    job = await parts.sora.submit(request);
  } catch (error) {
    // Anything else (an input blob that cannot be read) leaves the intent `sending`: the next run looks first.
    if (!(error instanceof SoraError)) throw error;
    const info = callErrorInfo(error, parts.target);
    // A 410 or 404 DeploymentNotFound is a 4xx: `refused`, certainly not taken, and final.
    const failure = classifyCreateFailure(error);
    await settle({ state: failure === 'ambiguous' ? 'unknown' : 'refused', code: error.code });
    if (failure === 'throttled') return { kind: 'throttled', error: info, retryAfterMs: error.retryAfterMs };
    if (failure === 'refused') {
      parts.warn(`Request ${requestId}: Sora refused the job: ${error.message}`);
      return { kind: 'rejected', error: info };
    }
    parts.warn(`Request ${requestId}: Sora may or may not have taken the job: ${error.message}`);
    return unsure(parts, info, error.retryAfterMs);
  }

  const held = await parts.claims.claim({ api: input.spec.api, soraJobId: job.id, requestId, claimedAt: iso(parts.now()), searchFrom: intent.intentAt });
  if (held.requestId !== requestId) {
    // A request whose own answer was lost found this job first, with the same prompt and parameters. Its own
    // create may have left a job just like it: this request looks for that one, from when that request began.
    parts.warn(`Request ${requestId}: Sora job ${job.id} was adopted by request ${held.requestId}; looking for the job that request left`);
    const theirs = msOf(held.searchFrom);
    await settle({ state: 'unknown', lostTo: held.requestId }, (e) => ({ searchFrom: iso(Math.min(theirs, e.searchFrom === null ? Infinity : msOf(e.searchFrom))) }));
    return unsure(parts, { status: null, code: 'job_adopted_elsewhere', message: `Sora job ${job.id} went to request ${held.requestId}`, param: null, requestId: null }, null);
  }
  await settle({ state: 'taken' }, () => ({ soraJobId: job.id }));
  parts.log(`Request ${requestId}: Sora accepted job ${job.id}`);
  return { kind: 'accepted', job };
}

/** The recorded job as the service sees it now; a service that no longer knows it ends the request. */
async function confirmRecorded(parts: SubmissionParts, jobId: string): Promise<SubmitOutcome> {
  try {
    return { kind: 'accepted', job: await parts.sora.getJob(jobId) };
  } catch (error) {
    if (!(error instanceof SoraError)) throw error;
    const info = callErrorInfo(error, parts.target);
    if (error.retryable) return unsure(parts, info, error.retryAfterMs);
    return { kind: 'rejected', error: { ...info, message: `Sora job ${jobId}, created for this request, cannot be read: ${info.message}` } };
  }
}

/**
 * The job an unresolved create made, if the service has one: listed at or
 * after the earliest such create (less the clock skew), matching the request,
 * not cancelled, and claimable by this request. A claim this request already
 * holds counts: an earlier run may have claimed it and died before recording it.
 */
async function findOwnJob(parts: SubmissionParts, entry: LedgerEntry, request: SoraVideoRequest): Promise<Search> {
  const searchFrom = Math.min(...unresolved(entry).map((a) => msOf(a.intentAt)), entry.searchFrom === null ? Infinity : msOf(entry.searchFrom));
  const sinceSeconds = Math.floor((searchFrom - CLOCK_SKEW_MS) / 1000);
  let listed;
  try {
    listed = await parts.sora.listCreatedSince(sinceSeconds);
  } catch (error) {
    if (!(error instanceof SoraError)) throw error;
    const info = callErrorInfo(error, parts.target);
    return isDeploymentFailure(error) ? { kind: 'gone', error: info } : { kind: 'unavailable', error: info, retryAfterMs: error.retryAfterMs };
  }
  if (!listed.complete) {
    return {
      kind: 'unavailable',
      error: { status: null, code: 'search_incomplete', message: `Sora lists more jobs since ${iso(searchFrom)} than one search reads`, param: null, requestId: null },
      retryAfterMs: null,
    };
  }
  for (const candidate of adoptionCandidates(listed.jobs, request, sinceSeconds)) {
    const held = await parts.claims.claim({ api: entry.api, soraJobId: candidate.id, requestId: entry.requestId, claimedAt: iso(parts.now()), searchFrom: iso(searchFrom) });
    if (held.requestId !== entry.requestId) continue;
    await parts.ledger.change(entry.requestId, (e) => ({ ...withAttempts(e, unresolved(entry), (a) => ({ ...a, state: 'found' })), soraJobId: candidate.id }));
    parts.log(`Request ${entry.requestId}: adopted Sora job ${candidate.id}, made by an earlier create whose answer was lost`);
    return { kind: 'adopted', job: candidate };
  }
  return { kind: 'none' };
}

function unsure(parts: SubmissionParts, error: ServiceErrorInfo, retryAfterMs: number | null): SubmitOutcome {
  return { kind: 'unsure', error, retryAfterMs: Math.max(parts.settleMs, retryAfterMs ?? 0) };
}

/** Identifies what was asked for, so one ledger entry never serves two different requests. */
export function fingerprintOf(spec: VideoSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

function unresolved(entry: LedgerEntry): LedgerAttempt[] {
  return entry.attempts.filter((a) => UNRESOLVED_STATES.includes(a.state));
}

/** Changes the given attempts only: one another run added meanwhile is not this run's to settle. */
function withAttempts(entry: LedgerEntry, which: readonly LedgerAttempt[], change: (attempt: LedgerAttempt) => LedgerAttempt): LedgerEntry {
  const ids = new Set(which.map((a) => a.id));
  return { ...entry, attempts: entry.attempts.map((a) => (ids.has(a.id) ? change(a) : a)) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function msOf(isoTime: string): number {
  return Date.parse(isoTime);
}
