/**
 * What a media file is, read from `ffmpeg -i` (ffprobe is not shipped by
 * @ffmpeg-installer): container, video codec, frame size and duration.
 */
import type { Ffmpeg } from './ffmpeg';

export interface MediaInfo {
  /** ffmpeg's demuxer names, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `png_pipe`. */
  format: string;
  codec: string;
  /** e.g. `yuv420p`. */
  pixelFormat: string;
  width: number;
  height: number;
  /** Seconds; null when the container does not say (still images). */
  durationSeconds: number | null;
}

/** Still-image codecs the service accepts as image inputs. */
const IMAGE_CODECS: Readonly<Record<string, string>> = { mjpeg: 'jpeg', png: 'png', webp: 'webp' };

export function imageKind(info: MediaInfo): string | undefined {
  return IMAGE_CODECS[info.codec];
}

export function isStillImage(info: MediaInfo): boolean {
  return /image2|_pipe/.test(info.format);
}

/** Parses `ffmpeg -i` output; undefined when ffmpeg found no video stream. */
export function parseProbe(stderr: string): MediaInfo | undefined {
  const input = /Input #0, ([^ ]+), from/.exec(stderr);
  const stream = /Stream #0:\d+[^:]*: Video: (\w+)[^\n]*?, (\d+)x(\d+)/.exec(stderr);
  const pixelFormat = /Stream #0:\d+[^:]*: Video: \w+[^,\n]*, (\w+)/.exec(stderr)?.[1] ?? '';
  if (!input?.[1] || !stream?.[1] || !stream[2] || !stream[3]) return undefined;
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  const durationSeconds = duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : null;
  return {
    format: input[1].replace(/,$/, ''),
    codec: stream[1],
    pixelFormat,
    width: Number(stream[2]),
    height: Number(stream[3]),
    durationSeconds,
  };
}

export async function probeMedia(ffmpeg: Ffmpeg, path: string): Promise<MediaInfo | undefined> {
  // Without an output ffmpeg exits 1 after printing the input's description, which is all we need.
  const result = await ffmpeg.run(['-i', path]);
  return parseProbe(result.stderr);
}
