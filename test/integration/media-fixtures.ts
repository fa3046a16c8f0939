/** Real media files for input tests, made once per test file with ffmpeg (a dev dependency). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

export interface MediaFixtures {
  dir: string;
  image(width: number, height: number, format?: 'jpg' | 'png'): Promise<Buffer>;
  video(seconds: number, width?: number, height?: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function mediaFixtures(): Promise<MediaFixtures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sora-inputs-'));
  let n = 0;
  const make = async (args: string[], ext: string) => {
    const file = path.join(dir, `f${n++}.${ext}`);
    await run(ffmpeg, ['-loglevel', 'error', '-y', ...args, file]);
    return readFile(file);
  };
  return {
    dir,
    image: (width, height, format = 'jpg') => make(['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}`, '-frames:v', '1'], format),
    video: (seconds, width = 320, height = 240) =>
      make(['-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=12`, '-t', String(seconds), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+faststart'], 'mp4'),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
