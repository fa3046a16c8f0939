/** The answer to a batch start: 202 started, 200 the existing batch (first page), 409 an id taken by other content. */
import type { HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { DEFAULT_BATCH_PAGE } from '../contracts/batch';
import { batchLinksOf, readBatchRequest } from '../requests/read-batch-request';
import type { BatchStartOutcome } from '../requests/start-batch-request';
import { problem } from './problem';

export async function batchStartResponse(client: DurableClient, outcome: BatchStartOutcome): Promise<HttpResponseInit> {
  const { id } = outcome;
  const links = batchLinksOf(id);
  switch (outcome.kind) {
    case 'started':
      return { status: 202, headers: { location: links.self, 'retry-after': '5' }, jsonBody: { id, status: 'pending', total: outcome.total, links } };
    case 'existing': {
      const read = await readBatchRequest(client, id, { limit: DEFAULT_BATCH_PAGE });
      // Found a moment ago and purged since: say so rather than start it again under the client's feet.
      if (read.kind !== 'batch') return problem(409, 'The batch is gone', `Batch '${id}' was removed while this call ran.`);
      return { status: 200, headers: { location: links.self }, jsonBody: read.view };
    }
    case 'conflict':
      return problem(409, 'The id is already taken', `Batch '${id}' exists with different items; use another id.`);
  }
}
