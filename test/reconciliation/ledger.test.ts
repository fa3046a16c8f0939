/**
 * The submission ledger and the job claims against Azurite: conditional
 * writes keep concurrent writers from losing each other's changes, and of
 * two requests claiming one job exactly one wins.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { JobClaims, type JobClaim } from '../../src/storage/job-claims';
import { SubmissionLedger, type LedgerAttempt } from '../../src/storage/submission-ledger';

let azurite: Azurite;
let container: ContainerClient;

beforeAll(async () => {
  azurite = await startAzurite();
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('sora-ledger');
  await container.create();
});
afterAll(async () => {
  await azurite.close();
});

const attempt = (id: string, n: number): LedgerAttempt => ({ id, attempt: n, intentAt: '2026-12-01T10:00:00.000Z', state: 'sending', endedAt: null, code: null, lostTo: null });

describe('the submission ledger', () => {
  it('creates an entry once and gives it back to every later open', async () => {
    const ledger = new SubmissionLedger(container);
    const [a, b] = await Promise.all([ledger.open('req-open', 'jobs', 'f1'), ledger.open('req-open', 'jobs', 'f1')]);
    expect(a).toEqual({ requestId: 'req-open', api: 'jobs', fingerprint: 'f1', soraJobId: null, searchFrom: null, attempts: [] });
    expect(b).toEqual(a);
  });

  it('keeps every change made at the same time by different writers', async () => {
    const ledger = new SubmissionLedger(container);
    await ledger.open('req-concurrent', 'jobs', 'f1');
    await Promise.all(['a', 'b', 'c', 'd'].map((id, i) => new SubmissionLedger(container).change('req-concurrent', (e) => ({ ...e, attempts: [...e.attempts, attempt(id, i + 1)] }))));
    const entry = await ledger.open('req-concurrent', 'jobs', 'f1');
    expect(entry.attempts.map((a) => a.id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses to serve another request under an id already used', async () => {
    const ledger = new SubmissionLedger(container);
    await ledger.open('req-reused', 'jobs', 'f1');
    await expect(ledger.open('req-reused', 'jobs', 'f2')).rejects.toThrow('Ledger entry of req-reused was written for different parameters');
  });
});

describe('job claims', () => {
  const claim = (requestId: string): JobClaim => ({ api: 'jobs', soraJobId: 'task_shared', requestId, claimedAt: '2026-12-01T10:00:00.000Z', searchFrom: '2026-12-01T09:59:00.000Z' });

  it('of two requests claiming one job at once, exactly one holds it, and both are told which', async () => {
    const [first, second] = await Promise.all([new JobClaims(container).claim(claim('req-a')), new JobClaims(container).claim(claim('req-b'))]);
    expect(first).toEqual(second);
    expect(['req-a', 'req-b']).toContain(first.requestId);
    // A later claim, by either, changes nothing.
    expect(await new JobClaims(container).claim(claim(first.requestId === 'req-a' ? 'req-b' : 'req-a'))).toEqual(first);
  });

  it('a request claiming a job it already holds is told it holds it', async () => {
    const mine = { ...claim('req-again'), soraJobId: 'task_mine' };
    await new JobClaims(container).claim(mine);
    expect(await new JobClaims(container).claim({ ...mine, claimedAt: '2026-12-01T11:00:00.000Z' })).toEqual(mine);
  });
});
