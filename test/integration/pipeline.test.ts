/**
 * The product, end to end: HTTP starter → orchestrator → Sora (emulator over
 * HTTP) → durable-timer polling → every variant streamed into Blob Storage
 * (Azurite) → status view with read-only links. Time skipping makes the
 * durable timers instant; nothing here waits for one on the wall clock.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, sha256OfSoraContent, sha256OfUrl, type Pipeline } from './support';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline();
});
afterAll(async () => {
  await p.close();
});

async function instanceCount(): Promise<number> {
  return (await p.stack.host.client.getStatusAll()).length;
}

describe('a text request', () => {
  it('ends succeeded with every variant stored byte for byte as Sora served it, behind read-only links', async () => {
    const accepted = await p.post({ prompt: 'A cat playing piano in a jazz bar', n_variants: 2 });
    expect(accepted.status).toBe(202);
    const body = (await accepted.json()) as { id: string; status: string; links: { self: string } };
    expect(accepted.headers.get('location')).toBe(`/api/videos/${body.id}`);
    expect(Number(accepted.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body).toMatchObject({ status: 'pending', links: { self: `/api/videos/${body.id}` } });

    const view = await p.waitUntilFinished(body.id);
    expect(view).toMatchObject({ id: body.id, status: 'succeeded', size: '480x480', n_seconds: 5, n_variants: 2, prompt: 'A cat playing piano in a jazz bar' });
    expect(view.soraJobId).toMatch(/^task_/);
    expect(view.error).toBeUndefined();
    expect(view.videos.map((v) => v.variant)).toEqual([0, 1]);

    const job = await p.sora.getJob(view.soraJobId ?? '');
    expect(job.generations).toHaveLength(2);
    for (const [i, video] of view.videos.entries()) {
      const generation = job.generations[i];
      if (!generation) throw new Error('missing generation');
      const served = await sha256OfSoraContent(p.sora, generation.id);
      expect(video.sha256).toBe(served);
      expect(await sha256OfUrl(video.url)).toBe(served);
      expect(video.contentType).toBe('video/mp4');
      expect(video.bytes).toBeGreaterThan(1000);
      const thumbnail = await fetch(video.thumbnailUrl ?? '');
      expect(thumbnail.status).toBe(200);
      expect(Buffer.from(await thumbnail.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      // Read-only: the same link cannot overwrite the video.
      const write = await fetch(video.url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
      expect(write.status).toBe(403);
    }

    const container = BlobServiceClient.fromConnectionString(p.stack.settings.VideoStorage ?? '').getContainerClient('videos');
    const props = await container.getBlobClient(`${body.id}/1.mp4`).getProperties();
    expect(props.contentType).toBe('video/mp4');
    expect(props.metadata).toMatchObject({ requestid: body.id, sorajobid: view.soraJobId, generationid: job.generations[1]?.id });
    const manifest = JSON.parse((await container.getBlockBlobClient(`${body.id}/manifest.json`).downloadToBuffer()).toString()) as {
      soraJobId: string;
      videos: { blobName: string; sha256: string }[];
    };
    expect(manifest.soraJobId).toBe(view.soraJobId);
    expect(manifest.videos.map((v) => [v.blobName, v.sha256])).toEqual(view.videos.map((v) => [`${body.id}/${v.variant}.mp4`, v.sha256]));
    expect(JSON.stringify(manifest)).not.toContain('sig=');
  });

  it('stores four visibly different variants of a 480x480 request', async () => {
    const { id } = await p.api.create({ prompt: 'Four takes on a lighthouse', n_variants: 4, n_seconds: 2 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    expect(view.videos).toHaveLength(4);
    expect(new Set(view.videos.map((v) => v.sha256)).size).toBe(4);
  });
});

describe('bad input', () => {
  it.each([
    [{ prompt: '' }, ['prompt']],
    [{ prompt: 'x', width: 500, height: 500 }, ['width']],
    [{ prompt: 'x', n_seconds: 30 }, ['n_seconds']],
    [{ prompt: 'x', width: 1920, height: 1080, n_variants: 2 }, ['n_variants']],
    [{ prompt: 'x', n_variants: 5, colour: 'red' }, ['colour', 'n_variants']],
    [{ prompt: 'x', id: 'no/slashes' }, ['id']],
    ['{not json', ['(body)']],
  ])('%j gets 400 problem+json naming %j and starts nothing', async (body, fields) => {
    const before = await instanceCount();
    const response = await p.post(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { status: number; invalidFields: string[]; detail: string };
    expect(problem.status).toBe(400);
    expect(problem.invalidFields.sort()).toEqual(fields);
    for (const field of fields) expect(problem.detail).toContain(field);
    expect(await instanceCount()).toBe(before);
  });

  it('refuses a JSON body over 1 MiB with 413 without reading it whole', async () => {
    const response = await p.post({ prompt: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain('at most 1024 KiB');
  });

  it('keeps serving after bad input', async () => {
    await p.post('][');
    const response = await p.post({ prompt: 'still here', n_seconds: 1, id: 'still-serving' });
    expect(response.status).toBe(202);
  });
});

describe('ids', () => {
  it('makes a request with a client id idempotent: the same id returns the existing request', async () => {
    const first = await p.post({ id: 'order-1234', prompt: 'Idempotent otter', n_seconds: 1 });
    expect(first.status).toBe(202);
    const again = await p.post({ id: 'order-1234', prompt: 'Idempotent otter', n_seconds: 1 });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe('order-1234');
    const instances = (await p.stack.host.client.getStatusAll()).filter((i) => i.instanceId === 'order-1234');
    expect(instances).toHaveLength(1);
  });

  it('refuses the same id with different parameters (409)', async () => {
    await p.post({ id: 'order-5678', prompt: 'One thing', n_seconds: 1 });
    const clash = await p.post({ id: 'order-5678', prompt: 'Another thing', n_seconds: 1 });
    expect(clash.status).toBe(409);
    expect(clash.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const response = await fetch(`${p.baseUrl}/api/videos/no-such-request`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${p.baseUrl}/api/videos/no-such-request/cancel`, { method: 'POST' })).status).toBe(404);
  });
});

describe('outcomes other than success', () => {
  it('ends failed with Sora’s failure reason when moderation blocks the prompt', async () => {
    const { id } = await p.api.create({ prompt: 'Something forbidden', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('failed');
    expect(view.error?.code).toBe('input_moderation');
    expect(view.videos).toEqual([]);
  });

  it('cancels on request: the Sora job is deleted and the request ends cancelled; a second cancel is 409', async () => {
    p.stack.emulator?.faults.add({ kind: 'neverFinish', times: 1 });
    // Held, time cannot skip to the deadline before the cancel arrives; the request must end cancelled, not timed out.
    p.stack.pauseTimeSkipping();
    let id: string;
    try {
      ({ id } = await p.api.create({ prompt: 'A job that would never end', n_seconds: 1 }));
      // Idle: the job is submitted and the orchestration waits on a poll timer that cannot be skipped to.
      await p.stack.host.waitForIdle();
      const cancel = await fetch(`${p.baseUrl}/api/videos/${id}/cancel`, { method: 'POST' });
      expect(cancel.status).toBe(202);
    } finally {
      p.stack.resumeTimeSkipping();
    }
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('cancelled');
    expect(view.soraJobId).toMatch(/^task_/);
    const job = await p.sora.getJob(view.soraJobId ?? '').then(
      (j) => j.status,
      (error: unknown) => (error as { status?: number }).status,
    );
    expect([404, 'cancelled']).toContain(job);
    expect((await fetch(`${p.baseUrl}/api/videos/${id}/cancel`, { method: 'POST' })).status).toBe(409);
    p.stack.emulator?.faults.clear();
  });
});

describe('listing', () => {
  it('lists recent requests newest first, filtered by status and paged', async () => {
    for (const prompt of ['List me first', 'List me second', 'List me third', 'A forbidden listing']) {
      const { id } = await p.api.create({ prompt, n_seconds: 1 });
      await p.waitUntilFinished(id);
    }
    const all = (await (await fetch(`${p.baseUrl}/api/videos?limit=100`)).json()) as { items: { id: string; createdAt: string; status: string }[] };
    expect(all.items.length).toBeGreaterThanOrEqual(4);
    const times = all.items.map((i) => i.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const failed = (await (await fetch(`${p.baseUrl}/api/videos?status=failed`)).json()) as { items: { status: string }[] };
    expect(failed.items.length).toBeGreaterThan(0);
    expect(failed.items.every((i) => i.status === 'failed')).toBe(true);

    const first = (await (await fetch(`${p.baseUrl}/api/videos?limit=2`)).json()) as { items: { id: string }[]; nextCursor: string };
    const second = (await (await fetch(`${p.baseUrl}/api/videos?limit=2&cursor=${first.nextCursor}`)).json()) as { items: { id: string }[] };
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.items.slice(0, 4).map((i) => i.id));

    const bad = await fetch(`${p.baseUrl}/api/videos?status=done&limit=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { invalidFields: string[] }).invalidFields.sort()).toEqual(['limit', 'status']);
  });
});
