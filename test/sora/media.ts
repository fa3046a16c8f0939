/** Small real media files for the client tests, made once per test file with the project's ffmpeg. */
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { SoraInputFile } from '../../src/sora';

const run = promisify(execFile);

export interface TestMedia {
  dir: string;
  /** 480x480 PNG. */
  squarePng: string;
  /** 720x1280 PNG: the videos API's default size. */
  portraitPng: string;
  /** 480x480 JPEG. */
  squareJpeg: string;
  /** A 2-second 480x480 MP4. */
  shortMp4: string;
  remove(): Promise<void>;
}

async function ffmpeg(args: string[]): Promise<void> {
  await run(ffmpegInstaller.path, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

export async function makeTestMedia(): Promise<TestMedia> {
  const dir = await mkdtemp(join(tmpdir(), 'sora-client-media-'));
  const media: TestMedia = {
    dir,
    squarePng: join(dir, 'square.png'),
    portraitPng: join(dir, 'portrait.png'),
    squareJpeg: join(dir, 'square.jpg'),
    shortMp4: join(dir, 'short.mp4'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=480x480', '-frames:v', '1', media.squarePng]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=720x1280', '-frames:v', '1', media.portraitPng]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=480x480', '-frames:v', '1', media.squareJpeg]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=480x480:rate=10', '-t', '2', '-pix_fmt', 'yuv420p', media.shortMp4]),
  ]);
  return media;
}

/** A file input that streams from disk each time it is opened, as the pipeline's blob inputs do. */
export async function fileInput(path: string, contentType: string, fileName = basename(path)): Promise<SoraInputFile & { opened: () => number }> {
  const { size } = await stat(path);
  let opened = 0;
  return {
    fileName,
    contentType,
    size,
    open: () => {
      opened += 1;
      return createReadStream(path);
    },
    opened: () => opened,
  };
}
