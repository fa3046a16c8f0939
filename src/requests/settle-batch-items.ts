/**
 * Turns a batch's items into what its orchestration runs: each item checked by
 * exactly the rules of `POST /api/videos` (parseCreateVideoRequest, then every
 * referenced blob by its bytes), and for a good one the whole input of its
 * `videoGeneration` request, built now because an orchestrator reads no
 * settings and no clock. An item's own `id` is refused: the batch names its
 * items (`<batch id>-<item>`), which is what makes a batch idempotent.
 */
import { itemRequestId, type BatchItemInput } from '../contracts/batch';
import type { RuleViolation } from '../contracts/validation';
import { parseCreateVideoRequest } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { buildGenerationInput } from '../orchestrations/generation-input';
import { apiChoiceOf, settleVideoSpec } from './settle-video-spec';

/** One item before it is checked: a parsed JSON value, or what made it unreadable (a file line that is not JSON). */
export type BatchItemDraft = { item: number; body: unknown } | { item: number; unreadable: RuleViolation[] };

/** Items whose blobs are read at once: a large batch must not open a thousand reads together. */
const SETTLE_CONCURRENCY = 8;

export async function settleBatchItems(
  deps: Pick<Dependencies, 'config' | 'blobService'>,
  batchId: string,
  drafts: readonly BatchItemDraft[],
  acceptedAt: Date,
): Promise<BatchItemInput[]> {
  const settled: BatchItemInput[] = new Array<BatchItemInput>(drafts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < drafts.length) {
      const index = next++;
      settled[index] = await settleOne(deps, batchId, drafts[index] as BatchItemDraft, acceptedAt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SETTLE_CONCURRENCY, drafts.length) }, worker));
  return settled;
}

async function settleOne(deps: Pick<Dependencies, 'config' | 'blobService'>, batchId: string, draft: BatchItemDraft, acceptedAt: Date): Promise<BatchItemInput> {
  const requestId = itemRequestId(batchId, draft.item);
  if ('unreadable' in draft) return { item: draft.item, requestId, rejected: draft.unreadable };
  const parsed = parseCreateVideoRequest(draft.body, apiChoiceOf(deps.config));
  if (!parsed.ok) return { item: draft.item, requestId, rejected: parsed.violations };
  if (parsed.value.id !== undefined) {
    return { item: draft.item, requestId, rejected: [{ field: 'id', message: `is chosen by the batch: this item runs as '${requestId}'` }] };
  }
  const spec = await settleVideoSpec(deps, parsed.value);
  if (!spec.ok) return { item: draft.item, requestId, rejected: spec.violations };
  // The batch id goes with the request, so the request index can list a batch's requests.
  return { item: draft.item, requestId, run: { ...buildGenerationInput(requestId, spec.value, deps.config, acceptedAt), batchId } };
}
