/** The answer to a start (create or remix route): 202 started, 200 the existing request, 409 an id taken by another spec. */
import type { HttpResponseInit } from '@azure/functions';
import type { Dependencies } from '../dependencies';
import type { StartOutcome } from '../requests/start-video-request';
import { linksOf, viewOf } from '../requests/video-view';
import { problem } from './problem';

export async function startResponse(deps: Pick<Dependencies, 'config' | 'readLink'>, outcome: StartOutcome): Promise<HttpResponseInit> {
  const { id } = outcome;
  switch (outcome.kind) {
    case 'started':
      return {
        status: 202,
        headers: { location: linksOf(id).self, 'retry-after': String(Math.ceil(deps.config.poll.minDelayMs / 1000)) },
        jsonBody: { id, status: 'pending', links: linksOf(id) },
      };
    case 'existing':
      return { status: 200, headers: { location: linksOf(id).self }, jsonBody: await viewOf(outcome.instance, deps.readLink) };
    case 'conflict':
      return problem(409, 'The id is already taken', `Video request '${id}' exists with different parameters; use another id.`);
  }
}
