/** Downloads every variant of a succeeded request into a folder: `{id}-{variant}.mp4`. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { VideoView } from '../requests/video-view';
import { download } from './api-client';
import { CliError, EXIT } from './exit-codes';
import { problemOfView } from './view-text';

export interface SavedVideo {
  variant: number;
  file: string;
  bytes: number;
  sha256: string;
}

export async function saveVideos(view: VideoView, dir: string): Promise<SavedVideo[]> {
  if (view.status !== 'succeeded') throw new CliError(problemOfView(view), EXIT.noVideos);
  const folder = path.resolve(dir);
  await mkdir(folder, { recursive: true });
  const saved: SavedVideo[] = [];
  for (const video of view.videos) {
    const file = path.join(folder, `${view.id}-${String(video.variant)}.mp4`);
    await download(video.url, file);
    saved.push({ variant: video.variant, file, bytes: video.bytes, sha256: video.sha256 });
  }
  return saved;
}
