/** An unknown batch id; `undefined` for one that breaks the id rule, which is not echoed back. */
import type { HttpResponseInit } from '@azure/functions';
import { REQUEST_ID_RULE } from '../contracts/video-request';
import { problem } from './problem';

export function batchNotFound(id: string | undefined): HttpResponseInit {
  const detail = id === undefined ? `There is no batch with that id: ids ${REQUEST_ID_RULE}.` : `There is no batch with id '${id}'.`;
  return problem(404, 'No such batch', detail);
}
