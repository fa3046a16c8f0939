/**
 * One claim blob per Sora job, created only if absent: whichever request
 * writes it first owns the job, and no other request adopts it. This is what
 * keeps two requests with the same prompt from watching one job while the
 * other job runs unwatched.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { SORA_APIS } from '../sora/types';
import { createJson, readJson } from './conditional-json';

const claimSchema = z.object({
  api: z.enum(SORA_APIS),
  soraJobId: z.string(),
  requestId: z.string(),
  claimedAt: z.string(),
  /**
   * Where the claimant's own creates began (ISO): a request whose job it
   * took searches from here for the job the claimant may have left.
   */
  searchFrom: z.string(),
});
export type JobClaim = z.output<typeof claimSchema>;

export class JobClaims {
  constructor(private readonly container: ContainerClient) {}

  /** Claims the job unless already claimed; returns the claim that holds — this one, or the earlier one. */
  async claim(claim: JobClaim): Promise<JobClaim> {
    const blob = this.blob(claim.api, claim.soraJobId);
    if ((await createJson(blob, claim)) !== undefined) return claim;
    const held = await readJson(blob, claimSchema);
    // Claims are never deleted while a request can still run, so the one that won is there to read.
    if (!held) throw new Error(`Claim of ${claim.soraJobId} exists but cannot be read`);
    return held.value;
  }

  private blob(api: JobClaim['api'], soraJobId: string) {
    return this.container.getBlockBlobClient(`claims/${api}/${encodeURIComponent(soraJobId)}.json`);
  }
}
