// The orchestration engine beyond the conformance suite: the activity
// concurrency bound, increasing episode times, termination of a
// sub-orchestration, missing activities and unsupported entities.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({
    entry: fileURLToPath(new URL('./apps/engine-app.js', import.meta.url)),
    port: 0,
    maxConcurrentActivityFunctions: 3,
    log: () => undefined,
  });
});

afterAll(async () => {
  await host.close();
});

async function run(name: string, input?: unknown): Promise<{ runtimeStatus: string; output: unknown }> {
  const id = await host.client.startNew(name, { input });
  await host.waitForIdle();
  const status = await host.client.getStatus(id);
  return { runtimeStatus: status.runtimeStatus, output: status.output };
}

describe('orchestration engine', () => {
  it('runs at most maxConcurrentActivityFunctions activities at once', async () => {
    expect(await run('fanOut')).toEqual({ runtimeStatus: 'Completed', output: 3 });
  });

  it('gives every episode a later currentUtcDateTime than the one before', async () => {
    const { output } = await run('clockSteps');
    const times = output as number[];
    expect(times).toHaveLength(5);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] ?? Infinity);
  });

  it('reports a terminated sub-orchestration to its parent as a failure', async () => {
    const parentId = await host.client.startNew('parentOfTerminated', { input: { childId: 'terminated-child' } });
    await host.waitForIdle();
    await host.client.terminate('terminated-child', 'stop it');
    await host.waitForIdle();
    const parent = await host.client.getStatus(parentId);
    expect(parent.runtimeStatus).toBe('Completed');
    expect(parent.output).toMatch(/^child failed: stop it/);
    expect((await host.client.getStatus('terminated-child')).runtimeStatus).toBe('Terminated');
  });

  it('fails the call of an activity that does not exist', async () => {
    const { output } = await run('callsMissingActivity');
    expect(output).toMatch(/Activity function 'doesNotExist' failed: The function 'doesNotExist' doesn't exist/);
  });

  it('completes at once when a timer is created and cancelled in the same episode (real clock)', async () => {
    const id = await host.client.startNew('earlyApproval');
    await host.waitForIdle();
    await host.client.raiseEvent(id, 'Approval', 'ada');
    await host.waitForIdle();
    await host.client.raiseEvent(id, 'Go', null);
    await host.waitForIdle();
    const status = await host.client.getStatus(id, { showHistory: true });
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe('ada');
    const response = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`);
    const types = ((await response.json()) as { historyEvents: { EventType: string }[] }).historyEvents.map((e) => e.EventType);
    expect(types).toContain('TimerCreated');
    expect(types).not.toContain('TimerFired');
  });

  it('fails an orchestration whose custom status exceeds 16 KB', async () => {
    expect(await run('hugeStatus')).toEqual({ runtimeStatus: 'Failed', output: 'The custom status is larger than 16 KB.' });
  });

  it('fails a call to an entity no function serves, as an error in the orchestration', async () => {
    const { runtimeStatus, output } = await run('usesEntity');
    expect(runtimeStatus).toBe('Failed');
    expect(output).toBe("Orchestrator function 'usesEntity' failed: The entity function 'counter' is not registered.");
  });
});
