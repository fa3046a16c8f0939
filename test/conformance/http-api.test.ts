// Conformance of the public "Durable Functions HTTP API" on the local host
// (/runtime/webhooks/durabletask/…) and of the management URLs that
// createCheckStatusResponse hands out: status codes, Location, Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';
import {
  WEBHOOK_ROOT,
  call,
  getStatusOverHttp,
  instanceUrl,
  postJson,
  type CheckStatusPayload,
  type StatusPayload,
} from './support/durable-http';
import { statusBothWays } from './support/status-both-ways';

let host: LocalHost;

beforeAll(async () => {
  host = await startConformanceHost('management.js', { timeSkipping: true });
});

afterAll(async () => {
  await host.close();
});

/** Starts an orchestration through the app's own HTTP starter (createCheckStatusResponse). */
async function startViaApp(name: string, input: unknown): Promise<CheckStatusPayload> {
  const response = await postJson<CheckStatusPayload>(`${host.baseUrl}/api/start/${name}`, input);
  expect(response.status).toBe(202);
  expect(response.body).toBeDefined();
  const payload = response.body as CheckStatusPayload;
  expect(response.headers.get('location')).toBe(payload.statusQueryGetUri);
  await host.waitForIdle();
  return payload;
}

describe('createCheckStatusResponse management URLs', () => {
  it('point at this host and drive status, raiseEvent and purge', async () => {
    const urls = await startViaApp('waiter', null);
    for (const key of ['statusQueryGetUri', 'sendEventPostUri', 'terminatePostUri', 'purgeHistoryDeleteUri'] as const) {
      expect(urls[key].startsWith(`${host.baseUrl}${WEBHOOK_ROOT}/instances/${urls.id}`)).toBe(true);
    }

    const running = await call<StatusPayload>(urls.statusQueryGetUri);
    expect(running.status).toBe(202);
    expect(running.body).toMatchObject({ instanceId: urls.id, name: 'waiter', runtimeStatus: 'Running' });
    expect(running.headers.get('location')).toBe(urls.statusQueryGetUri);
    expect(running.headers.get('retry-after')).toBe('10');

    expect((await postJson(urls.sendEventPostUri.replace('{eventName}', 'Go'), 'ready')).status).toBe(202);
    await host.waitForIdle();
    const done = await call<StatusPayload>(urls.statusQueryGetUri);
    expect(done.status).toBe(200);
    expect(done.headers.get('location')).toBeNull();
    expect(done.body).toMatchObject({ runtimeStatus: 'Completed', output: 'ready' });
    expect((await host.client.getStatus(urls.id)).output).toBe('ready');

    expect((await call(urls.purgeHistoryDeleteUri, { method: 'DELETE' })).status).toBe(200);
    expect((await call(urls.statusQueryGetUri)).status).toBe(404);
  });

  it('drive suspend, resume and terminate', async () => {
    const urls = await startViaApp('waiter', null);
    expect((await postJson(urls.suspendPostUri.replace('{text}', 'pause'))).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Suspended', httpStatus: 202 });

    expect((await postJson(urls.resumePostUri.replace('{text}', 'carry on'))).status).toBe(202);
    await host.waitForIdle();
    expect((await statusBothWays(host, urls.id)).runtimeStatus).toBe('Running');

    expect((await postJson(urls.terminatePostUri.replace('{text}', 'enough'))).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, urls.id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough' });
    expect((await postJson(urls.terminatePostUri.replace('{text}', 'again'))).status).toBe(410);
    expect((await postJson(urls.suspendPostUri.replace('{text}', 'late'))).status).toBe(410);
  });
});

describe('the public HTTP API', () => {
  it('starts an orchestration (with and without an instance id) and answers 202 then 200', async () => {
    const started = await postJson<CheckStatusPayload>(
      new URL(`${WEBHOOK_ROOT}/orchestrators/echo`, host.baseUrl).href,
      { name: 'Web' },
    );
    expect(started.status).toBe(202);
    const id = started.body?.id ?? '';
    expect(id).not.toBe('');
    expect(started.headers.get('location')).toBe(started.body?.statusQueryGetUri);

    const named = await postJson<CheckStatusPayload>(
      new URL(`${WEBHOOK_ROOT}/orchestrators/echo/chosen-id`, host.baseUrl).href,
      { name: 'Named' },
    );
    expect(named.status).toBe(202);
    expect(named.body?.id).toBe('chosen-id');

    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      input: { name: 'Web' },
      output: { greeting: 'Hello Web', input: { name: 'Web' } },
      httpStatus: 200,
    });
    expect((await statusBothWays(host, 'chosen-id')).output).toEqual({
      greeting: 'Hello Named',
      input: { name: 'Named' },
    });
  });

  it('answers 202 with Location and Retry-After while running', async () => {
    const id = await host.client.startNew('waiter');
    await host.waitForIdle();
    // Started without input: the extension stores none, so the status shows null.
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Running', input: null });
    const running = await getStatusOverHttp(host.baseUrl, id);
    expect(running.status).toBe(202);
    expect(running.body?.runtimeStatus).toBe('Running');
    expect(new URL(running.headers.get('location') ?? '', host.baseUrl).pathname).toBe(
      `${WEBHOOK_ROOT}/instances/${id}`,
    );
    expect(Number(running.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 404 for unknown instances, and the client rejects likewise', async () => {
    expect((await getStatusOverHttp(host.baseUrl, 'unknown-instance')).status).toBe(404);
    expect((await postJson(instanceUrl(host.baseUrl, 'unknown-instance', 'raiseEvent/Go'), 1)).status).toBe(404);
    expect((await postJson(instanceUrl(host.baseUrl, 'unknown-instance', 'terminate?reason=x'))).status).toBe(404);
    expect((await postJson(instanceUrl(host.baseUrl, 'unknown-instance', 'suspend?reason=x'))).status).toBe(404);
    await expect(host.client.raiseEvent('unknown-instance', 'Go', 1)).rejects.toThrow(/No instance/);
    await expect(host.client.terminate('unknown-instance', 'x')).rejects.toThrow(/No instance/);
  });

  it('refuses to start an orchestrator that is not registered (400), and the client rejects', async () => {
    const response = await postJson(new URL(`${WEBHOOK_ROOT}/orchestrators/noSuchOrchestrator`, host.baseUrl).href, 1);
    expect(response.status).toBe(400);
    await expect(host.client.startNew('noSuchOrchestrator')).rejects.toThrow(/400/);
  });

  it('answers 410 to events and terminate for finished instances', async () => {
    const id = await host.client.startNew('echo', { input: { name: 'Done' } });
    await host.waitForIdle();
    expect((await postJson(instanceUrl(host.baseUrl, id, 'raiseEvent/Go'), 1)).status).toBe(410);
    expect((await postJson(instanceUrl(host.baseUrl, id, 'terminate?reason=late'))).status).toBe(410);
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Completed');
  });

  it('rejects a raised event whose body is not JSON with 400', async () => {
    const id = await host.client.startNew('waiter');
    await host.waitForIdle();
    const response = await call(instanceUrl(host.baseUrl, id, 'raiseEvent/Go'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'not json',
    });
    expect(response.status).toBe(400);
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Running');
  });

  it('reports a failed instance with 200 by default and 500 when asked', async () => {
    const id = await host.client.startNew('failing');
    await host.waitForIdle();
    const failed = await statusBothWays(host, id);
    expect(failed).toMatchObject({ runtimeStatus: 'Failed', httpStatus: 200 });
    expect(String(failed.output)).toContain("Orchestrator function 'failing' failed: ");
    expect(String(failed.output)).toContain('nothing works');
    const asError = await getStatusOverHttp(host.baseUrl, id, { returnInternalServerErrorOnFailure: 'true' });
    expect(asError.status).toBe(500);
  });
});
