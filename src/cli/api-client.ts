/**
 * A small client of this app's public HTTP API, used by the demo the way any
 * client would use it.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { VideoView } from '../requests/video-view';

export interface CreateVideoBody {
  prompt: string;
  width?: number;
  height?: number;
  n_seconds?: number;
  n_variants?: number;
  id?: string;
  inpaint_items?: { frame_index?: number; type: 'image' | 'video'; blob: string; crop_bounds?: Record<string, number> }[];
  input_reference?: { blob: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
}

export function createApiClient(baseUrl: string, functionKey?: string) {
  const headers: Record<string, string> = functionKey ? { 'x-functions-key': functionKey } : {};
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed as T;
  }
  return {
    create: (body: CreateVideoBody) => call<{ id: string; status: string }>('POST', '/api/videos', body),
    get: (id: string) => call<VideoView>('GET', `/api/videos/${encodeURIComponent(id)}`),
    cancel: (id: string) => call<unknown>('POST', `/api/videos/${encodeURIComponent(id)}/cancel`),
  };
}

/** Streams a link's content into a file. */
export async function download(url: string, file: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Download failed: HTTP ${response.status} for ${new URL(url).pathname}`);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(file));
}
