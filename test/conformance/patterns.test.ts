// The durable patterns app (apps/patterns/) on the local host with the REAL
// clock, driven as a user of `func start` would: through its HTTP starters and
// the management URLs they return. Only short timers are waited for (a 1-second retry back-off); the
// 2-minute and 90-second timers are cancelled or beaten by an event.
// patterns-time-skipping.test.ts runs the long-timer ones with time skipping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { call, eventTypes, postJson, type CheckStatusPayload, type StatusPayload } from './support/durable-http';
import { PATTERNS_APP } from './support/patterns-app';
import { statusBothWays } from './support/status-both-ways';

let host: LocalHost;
const logs: string[] = [];

beforeAll(async () => {
  const appDir = PATTERNS_APP;
  host = await startLocalHost({ appDir, port: 0, log: (line) => logs.push(line) });
});

afterAll(async () => {
  await host.close();
});

/** POST /api/orchestrators/{name} — the app's httpStart (createCheckStatusResponse). */
async function httpStart(orchestrator: string, input: unknown): Promise<CheckStatusPayload> {
  const response = await postJson<CheckStatusPayload>(`${host.baseUrl}/api/orchestrators/${orchestrator}`, input);
  expect(response.status).toBe(202);
  const payload = response.body as CheckStatusPayload;
  expect(response.headers.get('location')).toBe(payload.statusQueryGetUri);
  return payload;
}

/** POST /api/orchestrators/wait/{name} — the app's httpSyncStart. */
function httpSyncStart(orchestrator: string, input: unknown, timeoutSeconds: number) {
  return postJson<unknown>(
    `${host.baseUrl}/api/orchestrators/wait/${orchestrator}?timeout=${timeoutSeconds}&retryInterval=1`,
    input,
  );
}

async function statusFromUrl(urls: CheckStatusPayload, query = ''): Promise<StatusPayload | undefined> {
  return (await call<StatusPayload>(`${urls.statusQueryGetUri}${query}`)).body;
}

/** The challenge code sendSmsChallenge returned, read from the instance's history. */
async function challengeCodeOf(urls: CheckStatusPayload): Promise<number> {
  const status = await statusFromUrl(urls, '&showHistory=true&showHistoryOutput=true');
  const sent = (status?.historyEvents ?? []).find(
    (event) => event.EventType === 'TaskCompleted' && event.FunctionName === 'sendSmsChallenge',
  );
  expect(typeof sent?.Result).toBe('number');
  return Number(sent?.Result);
}

describe('durable patterns on the real clock', () => {
  it('helloSequence chains three activities', async () => {
    const urls = await httpStart('helloSequence', null);
    await host.waitForIdle();
    const done = await call<StatusPayload>(urls.statusQueryGetUri);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      name: 'helloSequence',
      runtimeStatus: 'Completed',
      output: ['Hello Oslo', 'Hello Lima', 'Hello Pune'],
    });
    expect((await statusBothWays(host, urls.id)).runtimeStatus).toBe('Completed');
  });

  it('sayHelloWithActivity passes its input to the activity', async () => {
    const urls = await httpStart('sayHelloWithActivity', 'World');
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({
      runtimeStatus: 'Completed',
      input: 'World',
      output: 'Hello World',
    });
  });

  it('sayHelloWithCustomStatus sets the custom status', async () => {
    const urls = await httpStart('sayHelloWithCustomStatus', 'Status');
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: 'Hello Status',
      customStatus: 'Hello Status',
    });
  });

  it('sayHelloWithSubOrchestrator returns the sub-orchestration result', async () => {
    const urls = await httpStart('sayHelloWithSubOrchestrator', 'Child');
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Completed', output: 'Hello Child' });
    const history = await statusFromUrl(urls, '&showHistory=true');
    expect(eventTypes(history?.historyEvents)).toContain('SubOrchestrationInstanceCompleted');
  });

  it('httpSyncStart answers 200 with the output once the orchestration completes', async () => {
    const response = await httpSyncStart('sayHelloWithActivity', 'Sync', 10);
    expect(response.status).toBe(200);
    expect(response.body).toBe('Hello Sync');
  });

  it('httpSyncStart answers 202 with the management URLs when the orchestration outlasts its timeout', async () => {
    const response = await httpSyncStart('smsPhoneVerification', '+15555550199', 1);
    expect(response.status).toBe(202);
    const urls = response.body as CheckStatusPayload;
    expect(response.headers.get('location')).toBe(urls.statusQueryGetUri);
    expect((await statusBothWays(host, urls.id)).runtimeStatus).toBe('Running');
    expect((await postJson(urls.terminatePostUri.replace('{text}', 'test over'))).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'test over' });
  });

  it('cancelTimer completes at once: its only pending timer (2 minutes) was cancelled', async () => {
    const urls = await httpStart('cancelTimer', null);
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: 'Hello timer',
      httpStatus: 200,
    });
    const sync = await httpSyncStart('cancelTimer', null, 10);
    expect(sync.status).toBe(200);
    expect(sync.body).toBe('Hello timer');
  });

  it('callActivityWithRetry retries once after 1 s, then the orchestrator catches the failure', async () => {
    const response = await httpSyncStart('callActivityWithRetry', null, 20);
    expect(response.status).toBe(200);
    const [instance] = (await host.client.getStatusAll()).filter((status) => status.name === 'callActivityWithRetry');
    const id = instance?.instanceId ?? '';
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: null });
    const history = await call<StatusPayload>(
      `${host.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`,
    );
    expect(eventTypes(history.body?.historyEvents).filter((type) => type === 'TaskFailed')).toHaveLength(2);
  });

  it('smsPhoneVerification authorizes the right code sent before the 90-second timeout', async () => {
    const urls = await httpStart('smsPhoneVerification', '+15555550100');
    await host.waitForIdle();
    expect((await statusBothWays(host, urls.id)).runtimeStatus).toBe('Running');

    const code = await challengeCodeOf(urls);
    const sendEvent = urls.sendEventPostUri.replace('{eventName}', 'SmsChallengeResponse');
    expect((await postJson(sendEvent, code + 1)).status).toBe(202);
    await host.waitForIdle();
    expect((await statusBothWays(host, urls.id)).runtimeStatus).toBe('Running');

    expect((await postJson(sendEvent, code)).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Completed', output: true });
  });

  it('smsPhoneVerification refuses after four wrong codes, without waiting for the timer', async () => {
    const urls = await httpStart('smsPhoneVerification', '+15555550101');
    await host.waitForIdle();
    const code = await challengeCodeOf(urls);
    const sendEvent = urls.sendEventPostUri.replace('{eventName}', 'SmsChallengeResponse');
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await postJson(sendEvent, code + attempt)).status).toBe(202);
      await host.waitForIdle();
    }
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Completed', output: false });
  });

  it('logs the unimplemented Twilio output binding once and drops its values', () => {
    expect(logs.filter((line) => line.includes('twilioSms'))).toHaveLength(1);
  });

  it('terminates and purges through the management URLs the starter returned', async () => {
    const urls = await httpStart('smsPhoneVerification', '+15555550102');
    await host.waitForIdle();
    expect((await postJson(urls.terminatePostUri.replace('{text}', 'user gave up'))).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'user gave up' });

    const purged = await call<{ instancesDeleted: number }>(urls.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(purged.body).toEqual({ instancesDeleted: 1 });
    expect((await call(urls.statusQueryGetUri)).status).toBe(404);
  });
});
