/**
 * What the real videoGeneration orchestrator records in the request index
 * (through recordVideoRequest, faked here like every activity): the start,
 * each public stage it publishes, and the end — in order, with rising
 * revisions — and that the index never changes a request's outcome.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ActivityInput } from '../../src/activities/typed-call';
import { END_REVISION } from '../../src/contracts/request-index';
import type { LocalHost } from '../../src/local/host';
import { createGate } from './support/gate';
import { startFakeActivityHost, startRequest } from './support/fake-activity-host';
import { jobStatus, request, succeedingActivities } from './support/scenario';
import { userView } from './support/user-view';

let host: LocalHost;

beforeAll(async () => {
  host = await startFakeActivityHost({ timeSkipping: true });
});
afterAll(async () => {
  await host.close();
});

const statusesAndRevisions = (entries: ActivityInput<'recordVideoRequest'>[]) => entries.map((e) => [e.status, e.revision]);

it('records the start, every stage change and the end, the end before the request reads as finished', async () => {
  const input = { ...request('indexed-stages'), batchId: 'batch-7' };
  const endRecorded = createGate();
  const calls = await startRequest(host, input, {
    ...succeedingActivities(input.requestId),
    getVideoJob: (_input, call) => jobStatus(input.requestId, call === 1 ? 'running' : 'succeeded'),
    recordVideoRequest: async (entry): Promise<'recorded'> => {
      if (entry.revision === END_REVISION) await endRecorded.pass();
      return 'recorded';
    },
  });

  await endRecorded.reached;
  expect(await userView(host, input.requestId)).toMatchObject({ runtimeStatus: 'Running', status: 'storing', result: null });
  endRecorded.open();
  await host.waitForIdle();

  expect(await userView(host, input.requestId)).toMatchObject({ runtimeStatus: 'Completed', status: 'succeeded' });
  expect(statusesAndRevisions(calls.recordVideoRequest)).toEqual([
    ['pending', 1],
    ['submitted', 2],
    ['running', 3],
    ['storing', 4],
    ['succeeded', END_REVISION],
  ]);
  expect(calls.recordVideoRequest[0]).toEqual({
    requestId: 'indexed-stages',
    acceptedAt: input.acceptedAt,
    prompt: input.spec.prompt,
    status: 'pending',
    updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    batchId: 'batch-7',
    revision: 1,
  });
});

it('records failed when the orchestration itself fails', async () => {
  const input = request('indexed-crash');
  const calls = await startRequest(host, input, {
    ...succeedingActivities(input.requestId),
    getVideoJob: () => {
      throw new Error('The status check broke');
    },
  });
  await host.waitForIdle();

  expect(await userView(host, input.requestId)).toMatchObject({ runtimeStatus: 'Failed', status: 'failed' });
  expect(statusesAndRevisions(calls.recordVideoRequest)).toEqual([
    ['pending', 1],
    ['submitted', 2],
    ['failed', END_REVISION],
  ]);
});

it('goes on when the index cannot be written: each record is retried, then skipped, and the request succeeds', async () => {
  const input = request('indexed-unwritable');
  const calls = await startRequest(host, input, {
    ...succeedingActivities(input.requestId),
    recordVideoRequest: () => {
      throw new Error('Table storage is down');
    },
  });
  await host.waitForIdle();

  expect(await userView(host, input.requestId)).toMatchObject({ runtimeStatus: 'Completed', status: 'succeeded', result: { outcome: 'succeeded' } });
  // Three attempts for each of pending, submitted and storing; six for the end.
  expect(statusesAndRevisions(calls.recordVideoRequest)).toEqual([
    ...Array<[string, number]>(3).fill(['pending', 1]),
    ...Array<[string, number]>(3).fill(['submitted', 2]),
    ...Array<[string, number]>(3).fill(['storing', 3]),
    ...Array<[string, number]>(6).fill(['succeeded', END_REVISION]),
  ]);
});
