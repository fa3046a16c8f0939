// The durable patterns app (apps/patterns/) on the local host with time skipping: the 90-second SMS
// timeout, the cancelled 2-minute timer, the 10 × 30-second counter and the
// 10-second sub-orchestrator retry pass without wall-clock waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { call, eventTypes, postJson, type CheckStatusPayload, type StatusPayload } from './support/durable-http';
import { PATTERNS_APP } from './support/patterns-app';
import { statusBothWays } from './support/status-both-ways';

let host: LocalHost;

beforeAll(async () => {
  const appDir = PATTERNS_APP;
  host = await startLocalHost({ appDir, port: 0, timeSkipping: true, log: () => undefined });
});

afterAll(async () => {
  await host.close();
});

/** POST /api/orchestrators/{name} — the app's httpStart — then let the host run to idle. */
async function httpStartAndSettle(orchestrator: string, input: unknown): Promise<CheckStatusPayload> {
  const response = await postJson<CheckStatusPayload>(`${host.baseUrl}/api/orchestrators/${orchestrator}`, input);
  expect(response.status).toBe(202);
  await host.waitForIdle();
  return response.body as CheckStatusPayload;
}

async function historyTypes(urls: CheckStatusPayload): Promise<string[]> {
  const status = await call<StatusPayload>(`${urls.statusQueryGetUri}&showHistory=true`);
  return eventTypes(status.body?.historyEvents);
}

describe('durable patterns with time skipping', () => {
  it('helloSequence chains three activities', async () => {
    const urls = await httpStartAndSettle('helloSequence', null);
    expect(await statusBothWays(host, urls.id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['Hello Oslo', 'Hello Lima', 'Hello Pune'],
    });
  });

  it('smsPhoneVerification gives up when nobody answers within 90 seconds', async () => {
    const urls = await httpStartAndSettle('smsPhoneVerification', '+15555550100');
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Completed', output: false });
    expect(await historyTypes(urls)).toEqual(expect.arrayContaining(['TimerCreated', 'TimerFired']));
  });

  it('smsPhoneVerification fails without a phone number, as the extension reports it', async () => {
    const urls = await httpStartAndSettle('smsPhoneVerification', null);
    const status = await statusBothWays(host, urls.id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain("Orchestrator function 'smsPhoneVerification' failed: ");
    expect(String(status.output)).toContain('smsPhoneVerification needs a phone number as its input.');
  });

  it('cancelTimer returns the activity result; the cancelled timer never fires', async () => {
    const urls = await httpStartAndSettle('cancelTimer', null);
    expect(await statusBothWays(host, urls.id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: 'Hello timer',
    });
    expect(await historyTypes(urls)).not.toContain('TimerFired');
  });

  it('continueAsNewCounter counts to 10 in ten executions of a 30-second timer', async () => {
    const urls = await httpStartAndSettle('continueAsNewCounter', null);
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Completed', input: 9, output: 10 });
    expect((await historyTypes(urls)).filter((type) => type === 'ExecutionStarted')).toHaveLength(1);
  });

  it('callActivityWithRetry makes two attempts, then the orchestrator catches the failure', async () => {
    const urls = await httpStartAndSettle('callActivityWithRetry', null);
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Completed', output: null });
    expect((await historyTypes(urls)).filter((type) => type === 'TaskFailed')).toHaveLength(2);
  });

  it('callSubOrchestratorWithRetry retries the failing child (same instance id), then catches the failure', async () => {
    const urls = await httpStartAndSettle('callSubOrchestratorWithRetry', null);
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Completed', output: null });
    expect((await historyTypes(urls)).filter((type) => type === 'SubOrchestrationInstanceFailed')).toHaveLength(2);

    const child = await statusBothWays(host, `${urls.id}:0`);
    expect(child.runtimeStatus).toBe('Failed');
    expect(String(child.output)).toContain("Orchestrator function 'failingChild' failed: ");
    expect(String(child.output)).toContain('failingChild failed, as it always does');
  });

  it('httpSyncStart answers 200 with the output', async () => {
    const response = await postJson<unknown>(
      `${host.baseUrl}/api/orchestrators/wait/sayHelloWithActivity?timeout=10&retryInterval=1`,
      'Skipper',
    );
    expect(response.status).toBe(200);
    expect(response.body).toBe('Hello Skipper');
  });
});
