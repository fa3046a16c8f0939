/**
 * The submission ledger: one JSON blob per request recording each intent to
 * create a Sora job (before the call), how the call ended, and the job id
 * once known. It outlives any one run of the submit activity, so a run that
 * follows a lost answer or a crash knows what an earlier run may have left
 * at Sora. Every change is a read-modify-write under the blob's ETag.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { SORA_APIS } from '../sora/types';
import { createJson, readJson, replaceJson } from './conditional-json';

/**
 * How one create call stands:
 * - `sending`: intent recorded, no outcome yet (in flight, or the run died);
 * - `taken`: the service answered with the job;
 * - `refused`: a 429 or other 4xx — certainly no job;
 * - `unknown`: ended without a definite answer (5xx, timeout, reset), or the
 *   job it made was adopted by another request (`lostTo`);
 * - `absent`: a search after a back-off found no job for it;
 * - `found`: a search adopted a job for it.
 */
export const ATTEMPT_STATES = ['sending', 'taken', 'refused', 'unknown', 'absent', 'found'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/** States that may still have a job at Sora nobody has adopted. */
export const UNRESOLVED_STATES: readonly AttemptState[] = ['sending', 'unknown'];

const attemptSchema = z.object({
  /** Names this create among the entry's attempts (a re-executed run of one call makes another). */
  id: z.string(),
  /** The orchestrator's submit call number; a re-executed run has the same one. */
  attempt: z.int().positive(),
  /** ISO time just before the create call. */
  intentAt: z.string(),
  state: z.enum(ATTEMPT_STATES),
  endedAt: z.string().nullable(),
  /** The error code of a call that failed. */
  code: z.string().nullable(),
  /** The request that adopted the job this call made. */
  lostTo: z.string().nullable(),
});
export type LedgerAttempt = z.output<typeof attemptSchema>;

const entrySchema = z.object({
  requestId: z.string(),
  api: z.enum(SORA_APIS),
  /** Hash of what was asked for: a ledger entry never serves two different requests under one id. */
  fingerprint: z.string(),
  soraJobId: z.string().nullable(),
  /**
   * When another request adopted a job this one made, that request's own
   * create may have left a job: the search for one starts this early (ISO).
   */
  searchFrom: z.string().nullable(),
  attempts: z.array(attemptSchema),
});
export type LedgerEntry = z.output<typeof entrySchema>;

/** Concurrent changes to one request's entry are rare (a re-executed activity); a few rounds settle them. */
const MAX_WRITE_ROUNDS = 8;

export class SubmissionLedger {
  constructor(private readonly container: ContainerClient) {}

  /** The request's entry, created empty on first use. */
  async open(requestId: string, api: LedgerEntry['api'], fingerprint: string): Promise<LedgerEntry> {
    for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
      const existing = await readJson(this.blob(requestId), entrySchema);
      if (existing) return checked(existing.value, fingerprint);
      const fresh: LedgerEntry = { requestId, api, fingerprint, soraJobId: null, searchFrom: null, attempts: [] };
      if ((await createJson(this.blob(requestId), fresh)) !== undefined) return fresh;
    }
    throw new Error(`Ledger entry of ${requestId}: could not be created (kept racing with another writer)`);
  }

  /** Applies `change` to the current entry and stores the result, re-reading and re-applying when another writer came first. */
  async change(requestId: string, change: (entry: LedgerEntry) => LedgerEntry): Promise<LedgerEntry> {
    for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
      const current = await readJson(this.blob(requestId), entrySchema);
      if (!current) throw new Error(`Ledger entry of ${requestId} is missing; open() creates it`);
      const next = change(current.value);
      if ((await replaceJson(this.blob(requestId), next, current.etag)) !== undefined) return next;
    }
    throw new Error(`Ledger entry of ${requestId}: could not be changed (kept racing with another writer)`);
  }

  private blob(requestId: string) {
    return this.container.getBlockBlobClient(`requests/${encodeURIComponent(requestId)}.json`);
  }
}

function checked(entry: LedgerEntry, fingerprint: string): LedgerEntry {
  if (entry.fingerprint !== fingerprint) {
    throw new Error(`Ledger entry of ${entry.requestId} was written for different parameters; a request id names one request`);
  }
  return entry;
}
