/**
 * The studio page in a real browser (Debian's chromium) on the local stack
 * with time skipping: a prompt typed into the page ends as a video the page
 * plays, a running request is cancelled from the page, an image goes along
 * as the first frame, and a deployment's 401 makes the page ask for the key.
 * Every wait is on a condition the page shows, never on the clock.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../src/local/stack';
import { mediaFixtures, type MediaFixtures } from '../integration/media-fixtures';
import { startPipeline, type Pipeline } from '../integration/support';
import { launchChromium, type Chromium } from './chromium';
import type { ImageElement, TabGlobals, VideoElement } from './page-types';

/** Test artifacts (git-ignored): the gallery as the page showed it. */
const ARTIFACTS = path.join(PROJECT_DIR, 'test-results');

let p: Pipeline;
let browser: Chromium;
let media: MediaFixtures;
let page: Page;

beforeAll(async () => {
  [p, browser, media] = await Promise.all([startPipeline(), launchChromium(), mediaFixtures()]);
  page = await browser.context.newPage();
}, 120_000);
afterAll(async () => {
  await browser.close();
  await media.close();
  await p.close();
});

/** The gallery card of the request whose prompt is `prompt`. */
const card = (prompt: string) => page.locator('li.card', { has: page.getByRole('heading', { name: prompt, exact: true }) });

async function generate(prompt: string, choices: { size?: string; seconds?: string; variants?: string } = {}): Promise<string> {
  await page.getByLabel('Prompt').fill(prompt);
  if (choices.size !== undefined) await page.getByLabel('Size').selectOption(choices.size);
  if (choices.seconds !== undefined) await page.getByLabel('Length (seconds)').selectOption(choices.seconds);
  if (choices.variants !== undefined) await page.getByLabel('Variants').selectOption(choices.variants);
  await page.getByRole('button', { name: 'Generate' }).click();
  // The new card, or the API's refusal shown on the form.
  const refusal = page.locator('#form-error li');
  await card(prompt).or(refusal).first().waitFor();
  if (await refusal.count() > 0) throw new Error(`the page refused "${prompt}": ${(await refusal.allTextContents()).join('; ')}`);
  const id = await card(prompt).getAttribute('data-request-id');
  if (id === null) throw new Error(`the card of "${prompt}" has no request id`);
  return id;
}

/** The function key the tab keeps (runs in the page). */
const storedKey = () => (globalThis as unknown as TabGlobals).sessionStorage.getItem('sora-studio:function-key');

async function statusOf(prompt: string, status: string): Promise<void> {
  await page.locator(`li.card[data-status="${status}"]`, { has: page.getByRole('heading', { name: prompt, exact: true }) }).waitFor({ timeout: 60_000 });
}

describe('the studio page', () => {
  it('offers the choices of the server rules for the selected API', async () => {
    await page.goto(`${p.baseUrl}/`);
    await expect(page.title()).resolves.toBe('Sora studio');
    const options = (label: string) => page.getByLabel(label).locator('option').allTextContents();
    await page.getByLabel('Model API').selectOption('jobs');
    expect(await options('Size')).toEqual(['480 × 480', '480 × 854', '854 × 480', '720 × 720', '720 × 1280', '1280 × 720', '1080 × 1080', '1080 × 1920', '1920 × 1080']);
    expect(await options('Length (seconds)')).toHaveLength(20);
    expect(await options('Variants')).toEqual(['1', '2', '3', '4']);
    await page.getByLabel('Size').selectOption('1080x1080');
    expect(await options('Variants')).toEqual(['1']);
    await page.getByLabel('Model API').selectOption('videos');
    expect(await options('Size')).toEqual(['720 × 1280', '1280 × 720']);
    expect(await options('Length (seconds)')).toEqual(['4', '8', '12']);
    await page.getByLabel('Model API').selectOption('jobs');
  });

  it('turns a typed prompt into a video that plays in the gallery', async () => {
    const prompt = 'A paper boat on a rainy street';
    const id = await generate(prompt, { size: '854x480', seconds: '3', variants: '2' });
    await statusOf(prompt, 'succeeded');
    await expect(card(prompt).locator('.meta').first().textContent()).resolves.toContain('854x480 · 3 s · 2 variants · jobs');

    const players = card(prompt).locator('video');
    expect(await players.count()).toBe(2);
    const first = players.first();
    await first.evaluate((video: VideoElement) => {
      video.muted = true;
      return video.play();
    });
    await page.waitForFunction((video: VideoElement) => video.currentTime > 0, await first.elementHandle());
    const played = await first.evaluate((video: VideoElement) => ({ duration: video.duration, width: video.videoWidth, height: video.videoHeight }));
    expect(played.width).toBe(854);
    expect(played.height).toBe(480);
    expect(played.duration).toBeCloseTo(3, 0);

    // Links are minted per read: the same blob, a signature of its own.
    const blobPath = (url: string | null | undefined) => new URL(url ?? '').pathname;
    const view = await p.api.get(id);
    const href = await card(prompt).getByRole('link', { name: `Download variant 1 of “${prompt}”` }).getAttribute('href');
    expect(blobPath(href)).toBe(blobPath(view.videos[0]?.url));
    expect(blobPath(href)).toBe(`/devstoreaccount1/videos/${id}/0.mp4`);
  });

  it('cancels a running request from its card', async () => {
    const prompt = 'A lighthouse that never finishes';
    // Held time: the request stays running until the page cancels it.
    p.stack.pauseTimeSkipping();
    try {
      const id = await generate(prompt);
      await card(prompt).getByRole('button', { name: `Cancel “${prompt}”` }).click();
      await statusOf(prompt, 'cancelled');
      expect((await p.api.get(id)).status).toBe('cancelled');
    } finally {
      p.stack.resumeTimeSkipping();
    }
    await expect(card(prompt).locator('.badge').textContent()).resolves.toBe('Cancelled');
  });

  it('sends an uploaded image along as the first frame, with a preview before sending', async () => {
    const prompt = 'The test card comes to life';
    const image = await media.image(480, 480, 'png');
    await page.getByLabel('Image or video (optional)').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: image });
    const preview = page.getByRole('img', { name: 'Preview of card.png' });
    await preview.waitFor();
    expect(await preview.evaluate((img: ImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([480, 480]);

    const id = await generate(prompt, { size: '480x480', seconds: '2', variants: '1' });
    // The request took the file: the form is ready for the next one without it.
    await preview.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Image or video (optional)').inputValue()).toBe('');
    await statusOf(prompt, 'succeeded');
    expect((await p.api.get(id)).inputs).toEqual([{ type: 'image', fileName: 'card.png', frameIndex: 0, bytes: image.length }]);
  });

  it('says in words why a request failed', async () => {
    const prompt = 'A forbidden dance';
    const id = await generate(prompt, { size: '480x480', seconds: '2', variants: '1' });
    await statusOf(prompt, 'failed');
    const { error } = await p.api.get(id);
    expect(error?.code).toBe('input_moderation');
    await expect(card(prompt).locator('.badge').textContent()).resolves.toBe('Failed');
    expect(error?.message).toBe('Sora failed the job: input_moderation');
    await expect(card(prompt).locator('p.error').last().textContent()).resolves.toBe('Sora failed the job: input_moderation');
  });

  it('remixes a finished Sora 2 video into a new request', async () => {
    const prompt = 'A lighthouse at dusk';
    await page.getByLabel('Model API').selectOption('videos');
    const id = await generate(prompt, { size: '1280x720', seconds: '4' });
    await page.getByLabel('Model API').selectOption('jobs');
    await statusOf(prompt, 'succeeded');
    const source = card(prompt);
    await source.getByText('Remix this video').click();
    await source.getByLabel('Remix with a new prompt').fill('The same lighthouse in a snowstorm');
    await source.getByRole('button', { name: 'Remix' }).click();
    await statusOf('The same lighthouse in a snowstorm', 'succeeded');
    const remix = card('The same lighthouse in a snowstorm');
    await expect(remix.locator('.meta').first().textContent()).resolves.toContain('1280x720 · 4 s · 1 variant · videos · remix');
    const remixId = await remix.getAttribute('data-request-id');
    expect((await p.api.get(remixId ?? '')).remixOf).toBe(id);
  });

  it('shows the gallery of recent requests (saved as a test artifact)', async () => {
    await page.reload();
    await page.locator('li.card[data-status="succeeded"] video').first().waitFor();
    // Every card read and every thumbnail in: nothing left loading for half a second.
    await page.waitForLoadState('networkidle');
    expect(await page.locator('li.card').count()).toBe(6);
    expect(await page.locator('li.card video').count()).toBe(5);
    await expect(page.getByRole('button', { name: 'Show older requests' }).isHidden()).resolves.toBe(true);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'studio.png'), fullPage: true });
  });

  it('fits a phone screen: one column, nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const widths = await page.evaluate(() => {
        const { document, innerWidth } = globalThis as unknown as TabGlobals;
        return { page: document.documentElement.scrollWidth, screen: innerWidth };
      });
      expect(widths).toEqual({ page: 390, screen: 390 });
      const form = await page.getByRole('region', { name: 'New video' }).boundingBox();
      const gallery = await page.getByRole('region', { name: 'Requests' }).boundingBox();
      expect(form !== null && gallery !== null && gallery.y >= form.y + form.height).toBe(true);
      await page.screenshot({ path: path.join(ARTIFACTS, 'studio-phone.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('asks for the function key when the API answers 401, and keeps it for the tab only', async () => {
    const keyed = await browser.context.newPage();
    // What Azure does with authLevel function: no key, or a wrong one, is a 401.
    await keyed.route('**/api/**', (route) =>
      route.request().headers()['x-functions-key'] === 'the-key' ? route.continue() : route.fulfill({ status: 401, body: '' }),
    );
    await keyed.goto(`${p.baseUrl}/`);
    const dialog = keyed.getByRole('dialog', { name: 'Function key' });
    await dialog.waitFor();
    await dialog.getByLabel('Key').fill('the-key');
    await dialog.getByRole('button', { name: 'Use key' }).click();
    await keyed.locator('li.card').nth(2).waitFor();
    expect(await keyed.evaluate(storedKey)).toBe('the-key');
    // Another tab starts without it.
    const other = await browser.context.newPage();
    await other.goto(`${p.baseUrl}/`);
    expect(await other.evaluate(storedKey)).toBeNull();
    await Promise.all([keyed.close(), other.close()]);
  });
});
