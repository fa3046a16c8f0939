/**
 * Checks uploaded media the way the service does and keeps it (by content
 * hash) for rendering: images must be JPEG, PNG or WebP; files must be whole;
 * a video input may be at most five seconds long; Sora 2's input_reference
 * must match `size`.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inspectMedia } from '../../media';
import { MAX_VIDEO_INPUT_SECONDS } from '../../sora/rules';
import type { EmulatorContext } from './context';
import { badRequest } from './errors';
import { imageKind, isStillImage, type MediaInfo, probeMedia } from './media-probe';
import type { UploadedFile } from './request-body';

export interface KeptMedia {
  path: string;
  sha256: string;
  info: MediaInfo;
}

/**
 * Why the file is not whole (cut short, bytes past its end, broken structure),
 * by the app's own byte checks. `ffmpeg -i` reads only a file's head, so it
 * takes the first half of a JPEG or PNG; the emulator must refuse whatever the
 * app refuses, or the app's check would be the only one a test ever meets.
 */
async function flawOf(file: UploadedFile): Promise<string | undefined> {
  const inspector = inspectMedia();
  await pipeline(createReadStream(file.path), inspector.stream, new Writable({ write: (_chunk, _encoding, done) => { done(); } }));
  return inspector.facts().flaw;
}

/** Moves the upload into the inputs directory, named by hash and kind so ffmpeg picks the right demuxer. */
async function keep(ctx: EmulatorContext, file: UploadedFile, extension: string, info: MediaInfo): Promise<KeptMedia> {
  await mkdir(ctx.inputsDir, { recursive: true });
  const path = join(ctx.inputsDir, `${file.sha256}.${extension}`);
  await rename(file.path, path);
  return { path, sha256: file.sha256, info };
}

export async function acceptImage(ctx: EmulatorContext, file: UploadedFile, param: string): Promise<KeptMedia> {
  const info = await probeMedia(ctx.ffmpeg, file.path);
  const kind = info === undefined ? undefined : imageKind(info);
  if (info === undefined || kind === undefined || !isStillImage(info)) {
    throw badRequest(`File '${file.fileName}' is not a supported image; send JPEG, PNG or WebP.`, param, 'invalid_image');
  }
  const flaw = await flawOf(file);
  if (flaw !== undefined) throw badRequest(`File '${file.fileName}' ${flaw}.`, param, 'invalid_image');
  return keep(ctx, file, kind === 'jpeg' ? 'jpg' : kind, info);
}

export async function acceptVideo(ctx: EmulatorContext, file: UploadedFile, param: string): Promise<KeptMedia> {
  const info = await probeMedia(ctx.ffmpeg, file.path);
  if (info === undefined || isStillImage(info) || info.durationSeconds === null) {
    throw badRequest(`File '${file.fileName}' is not a video ffmpeg can read.`, param, 'invalid_video');
  }
  const flaw = await flawOf(file);
  if (flaw !== undefined) throw badRequest(`File '${file.fileName}' ${flaw}.`, param, 'invalid_video');
  // Containers round durations to hundredths; allow that much over the limit.
  if (info.durationSeconds > MAX_VIDEO_INPUT_SECONDS + 0.01) {
    throw badRequest(
      `Video '${file.fileName}' is ${info.durationSeconds.toFixed(2)} seconds long; video inputs may be at most ${MAX_VIDEO_INPUT_SECONDS} seconds.`,
      param,
      'invalid_video',
    );
  }
  return keep(ctx, file, 'video', info);
}

/** Sora 2: the reference image must have exactly the requested frame size. */
export async function acceptInputReference(ctx: EmulatorContext, file: UploadedFile, size: string): Promise<KeptMedia> {
  const kept = await acceptImage(ctx, file, 'input_reference');
  const actual = `${kept.info.width}x${kept.info.height}`;
  if (actual !== size) {
    throw badRequest(`input_reference is ${actual} but size is ${size}; the reference image must have the same resolution as the video.`, 'input_reference', 'invalid_value');
  }
  return kept;
}
