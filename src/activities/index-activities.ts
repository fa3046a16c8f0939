/** Recording requests in the request index (src/storage/request-index.ts): the orchestrator's only door to it. */
import type { RequestIndexEntry } from '../contracts/request-index';
import type { Dependencies } from '../dependencies';
import { recordRequest, type RecordOutcome } from '../storage/request-index';
import { ensureTable } from '../storage/table-client';

export function createIndexActivities(deps: () => Dependencies) {
  return {
    /** Idempotent: a redelivered record, or one older than what the index holds, changes nothing ('superseded'). */
    recordVideoRequest: async (entry: RequestIndexEntry): Promise<RecordOutcome> => {
      const { requestIndex } = deps();
      await ensureTable(requestIndex);
      return recordRequest(requestIndex, entry);
    },
  };
}
