/**
 * Renders videos, thumbnails and spritesheets with ffmpeg, cached by their
 * parameters: the same request renders once, even when asked for
 * concurrently, and a cache directory kept between runs is reused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Semaphore } from '../concurrency';
import type { Ffmpeg } from './ffmpeg';
import { type RenderSpec, spritesheetArgs, thumbnailArgs, videoRenderArgs, wrapPrompt } from './render-args';

export type Asset = 'video' | 'thumbnail' | 'spritesheet';

const EXTENSION: Readonly<Record<Asset, string>> = { video: 'mp4', thumbnail: 'jpg', spritesheet: 'jpg' };

/** Bump when the render output changes so old cache entries are not served. */
const RENDER_VERSION = 1;

export class Renderer {
  private readonly pending = new Map<string, Promise<string>>();
  /** ffmpeg renders share two cores. */
  private readonly renders = new Semaphore(2);
  private readonly inFlight = new Set<Promise<string>>();
  private closed = false;

  constructor(
    private readonly ffmpeg: Ffmpeg,
    private readonly cacheDir: string,
    private readonly fontFile: string | undefined,
  ) {}

  /** The file of one asset of a render, rendering it (and what it derives from) first if needed. */
  asset(spec: RenderSpec, asset: Asset): Promise<string> {
    const key = renderKey(spec);
    const path = join(this.cacheDir, `${key}-${asset}.${EXTENSION[asset]}`);
    const known = this.pending.get(path);
    if (known) return known;
    const made = existsSync(path) ? Promise.resolve(path) : this.make(spec, asset, path);
    this.pending.set(path, made);
    this.inFlight.add(made);
    // A failed render may succeed next time, so it is not remembered.
    made.then(
      () => this.inFlight.delete(made),
      () => {
        this.inFlight.delete(made);
        this.pending.delete(path);
      },
    );
    return made;
  }

  /** Stops rendering: queued renders never start, running ones are killed, and their temp files are gone when this resolves. */
  async close(): Promise<void> {
    this.closed = true;
    this.ffmpeg.killAll();
    await Promise.allSettled([...this.inFlight]);
  }

  private async make(spec: RenderSpec, asset: Asset, path: string): Promise<string> {
    const video = asset === 'video' ? undefined : await this.asset(spec, 'video');
    await mkdir(this.cacheDir, { recursive: true });
    // Write beside the final name, then rename: readers never see half a file.
    const temp = join(this.cacheDir, `tmp-${randomBytes(6).toString('hex')}.${EXTENSION[asset]}`);
    const textFile = `${temp}.txt`;
    try {
      await this.renders.run(async () => {
        if (this.closed) throw new Error('the emulator is closing');
        if (video === undefined) {
          const text = this.fontFile === undefined ? undefined : { fontFile: this.fontFile, textFile };
          if (text) await writeFile(textFile, wrapPrompt(spec), 'utf8');
          await this.ffmpeg.runOrThrow(videoRenderArgs(spec, temp, text));
        } else {
          const args = asset === 'thumbnail' ? thumbnailArgs(video, spec.seconds, temp) : spritesheetArgs(video, spec.seconds, temp);
          await this.ffmpeg.runOrThrow(args);
        }
      });
      await rename(temp, path);
      return path;
    } finally {
      await rm(textFile, { force: true });
      await rm(temp, { force: true });
    }
  }
}

export function renderKey(spec: RenderSpec): string {
  const identity = {
    v: RENDER_VERSION,
    w: spec.width,
    h: spec.height,
    s: spec.seconds,
    p: spec.prompt,
    variant: spec.variant,
    inputs: spec.inputs.map(({ path: _path, ...rest }) => rest),
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}
