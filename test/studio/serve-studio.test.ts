/**
 * The studio function over HTTP on the local host running this app: the page
 * at `/` beside the API under /api, its modules revalidated by ETag, and the
 * choices it offers taken from the server's rules for the APIs this app has
 * a deployment for. Nothing here calls Azure: the settings only have to parse.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { PROJECT_DIR } from '../../src/local/stack';

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({
    appDir: PROJECT_DIR,
    port: 0,
    log: () => undefined,
    settings: {
      SORA_API: 'jobs',
      AZURE_OPENAI_ENDPOINT: 'https://studio-test.invalid',
      AZURE_OPENAI_API_KEY: 'not-used',
      AZURE_OPENAI_DEPLOYMENT: 'sora',
      AZURE_OPENAI_VIDEOS_DEPLOYMENT: 'sora-2',
      OPENAI_BASE_URL: '',
      VideoStorage: 'UseDevelopmentStorage=true',
      INPUT_MAX_IMAGE_MIB: '25',
      INPUT_MAX_VIDEO_MIB: '200',
    },
  });
});
afterAll(async () => {
  await host.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${host.baseUrl}${path}`, { headers });

describe('the studio function', () => {
  it('serves the page at the site root, preloading every browser module of the build', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    const built = readdirSync(path.join(PROJECT_DIR, 'dist', 'web')).filter((name) => name.endsWith('.js')).sort();
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((match) => match[1]);
    expect(preloaded).toEqual(built);
    expect(html).toContain('<label for="prompt">Prompt</label>');
  });

  it('offers the rules of each API this app has a deployment for, from the server rules', async () => {
    const config = (await (await get('/studio-config.json')).json()) as Record<string, unknown>;
    expect(config).toEqual({
      defaultApi: 'jobs',
      apis: {
        jobs: {
          sizes: [
            { size: '480x480', maxVariants: 4 },
            { size: '480x854', maxVariants: 4 },
            { size: '854x480', maxVariants: 4 },
            { size: '720x720', maxVariants: 2 },
            { size: '720x1280', maxVariants: 2 },
            { size: '1280x720', maxVariants: 2 },
            { size: '1080x1080', maxVariants: 1 },
            { size: '1080x1920', maxVariants: 1 },
            { size: '1920x1080', maxVariants: 1 },
          ],
          defaultSize: '480x480',
          seconds: Array.from({ length: 20 }, (_, i) => i + 1),
          defaultSeconds: 5,
          media: 'inpaint',
          remix: false,
        },
        videos: {
          sizes: [
            { size: '720x1280', maxVariants: 1 },
            { size: '1280x720', maxVariants: 1 },
          ],
          defaultSize: '720x1280',
          seconds: [4, 8, 12],
          defaultSeconds: 4,
          media: 'reference',
          remix: true,
        },
      },
      media: { maxImageBytes: 25 * 1024 * 1024, maxVideoBytes: 200 * 1024 * 1024, maxImages: 2, maxVideos: 1, maxVideoSeconds: 5 },
      finishedStatuses: ['succeeded', 'failed', 'cancelled', 'timed_out'],
    });
  });

  it('lets the browser revalidate a module instead of downloading it again', async () => {
    const first = await get('/main.js');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await get('/main.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers 404 problem+json for anything else, the API paths it is left with included', async () => {
    for (const path of ['/nothing.js', '/web/main.js', '/api/videos/abc/cancel']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { detail: string }).detail).toBe(`Nothing is served at ${path}.`);
    }
  });

  it('leaves the API where it was: an id route under /api is still the API, not the page', async () => {
    const response = await get('/api/videos/not.an.id');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { title: string }).title).toBe('No such video request');
  });
});
