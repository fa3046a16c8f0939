/**
 * Sora's retirement, end to end on the local stack: the emulator marks the
 * jobs API's deployment retired (its admin route, as a person would), a
 * request ends `failed` with `model_retired` after one call to it, and
 * GET /api/health says `model_retired` for that API and `ok` for the others.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { HealthReport } from '../../src/http/health-check';
import type { RetiredDeployment } from '../../src/local/sora-emulator';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;
let admin: string;

beforeAll(async () => {
  p = await startPipeline();
  admin = `${p.stack.emulator?.endpoint ?? ''}/_emulator/retired-deployments`;
});
afterEach(async () => {
  await fetch(admin, { method: 'DELETE' });
});
afterAll(async () => {
  await p.close();
});

const retire = (deployment: string) => fetch(admin, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deployment }) });
const retired = async () => ((await (await fetch(admin)).json()) as { retired: RetiredDeployment[] }).retired;

it('ends a request failed/model_retired after one call, and health says model_retired for that API and ok for the others', async () => {
  expect((await retire('sora')).status).toBe(201);

  const { id } = await p.api.create({ prompt: 'A cat playing piano in a jazz bar' });
  const view = await p.waitUntilFinished(id);
  expect(view).toMatchObject({ status: 'failed', api: 'jobs', soraJobId: null, error: { code: 'model_retired' } });
  expect(view.error?.message).toContain("Deployment 'sora' (jobs API) is retired (410 Gone)");
  expect(view.error?.message).toContain('set AZURE_OPENAI_JOBS_DEPLOYMENT');
  expect(await retired()).toEqual([{ deployment: 'sora', refusedCalls: 1 }]);

  const health = await fetch(`${p.baseUrl}/api/health`);
  expect(health.status).toBe(503);
  const report = (await health.json()) as HealthReport;
  expect(report).toMatchObject({ status: 'unhealthy', settings: { state: 'ok', invalid: [] }, storage: { state: 'ok' } });
  expect(report.video).toEqual({
    jobs: { state: 'model_retired', default: true, status: 410, code: 'ModelDeprecated' },
    videos: { state: 'ok', default: false, status: null, code: null },
    openai: { state: 'ok', default: false, status: null, code: null },
  });
});

it('ends a request failed/model_retired at the first status check after its deployment was retired', async () => {
  // Hold the first status check's timer until the deployment is retired.
  p.stack.pauseTimeSkipping();
  let paused = true;
  try {
    const { id } = await p.api.create({ prompt: 'Retired while it ran' });
    let view = await p.api.get(id);
    while (view.soraJobId === null) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      view = await p.api.get(id);
    }
    expect(view.status).toBe('submitted');
    await retire('sora');
    p.stack.resumeTimeSkipping();
    paused = false;

    const finished = await p.waitUntilFinished(id);
    expect(finished).toMatchObject({ status: 'failed', soraJobId: view.soraJobId, error: { code: 'model_retired' } });
    expect(finished.progress?.checks).toBe(1);
    expect(await retired()).toEqual([{ deployment: 'sora', refusedCalls: 1 }]);
  } finally {
    if (paused) p.stack.resumeTimeSkipping();
  }
});
