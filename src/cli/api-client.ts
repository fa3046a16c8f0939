/**
 * A small client of this app's public HTTP API, used by the CLI (and so the
 * demo) and the tests the way any client would use it.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { PublicStatus } from '../contracts/public-status';
import type { BatchView } from '../requests/read-batch-request';
import type { VideoSummary, VideoView } from '../requests/video-view';
import type { SoraApi } from '../sora/types';

export interface CreateVideoBody {
  prompt: string;
  api?: SoraApi;
  width?: number;
  height?: number;
  n_seconds?: number;
  n_variants?: number;
  id?: string;
  inpaint_items?: { frame_index?: number; type: 'image' | 'video'; blob: string; crop_bounds?: Record<string, number> }[];
  input_reference?: { blob: string };
}

export interface Started {
  id: string;
  status: string;
}

/** A batch just started (202), or the batch view when the id named the same batch already (200): both say these. */
export interface BatchStarted {
  id: string;
  status: string;
  total: number;
}

export interface ListQuery {
  status?: PublicStatus;
  limit?: number;
  cursor?: string;
}

export interface VideoPage {
  items: VideoSummary[];
  nextCursor: string | null;
}

/** The API answered with an error status; `body` is its problem+json (or whatever text came back). */
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
    // fetch sets a multipart body's content type (with its boundary) itself.
    const json = body !== undefined && !(body instanceof FormData);
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { ...headers, ...(json ? { 'content-type': 'application/json' } : {}) },
      body: body instanceof FormData ? body : json ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const parsed = parseBody(text);
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed as T;
  }
  const videoPath = (id: string) => `/api/videos/${encodeURIComponent(id)}`;
  return {
    create: (body: CreateVideoBody) => call<Started>('POST', '/api/videos', body),
    /** A multipart create: the same fields as form fields, media as file parts. */
    createWithFiles: (form: FormData) => call<Started>('POST', '/api/videos', form),
    get: (id: string) => call<VideoView>('GET', videoPath(id)),
    list: (query: ListQuery = {}) => {
      const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
      return call<VideoPage>('GET', `/api/videos${search.size > 0 ? `?${search.toString()}` : ''}`);
    },
    cancel: (id: string) => call<unknown>('POST', `${videoPath(id)}/cancel`),
    createBatch: (body: { items: unknown[]; id?: string }) => call<BatchStarted>('POST', '/api/batches', body),
    /** `limit`: items on the page (the counts cover the whole batch whatever it is). */
    getBatch: (id: string, limit?: number) => call<BatchView>('GET', `/api/batches/${encodeURIComponent(id)}${limit === undefined ? '' : `?limit=${String(limit)}`}`),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** JSON when it is JSON (problem+json included); otherwise the text (a proxy's page, an empty 401). */
function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Streams a link's content into a file. */
export async function download(url: string, file: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Download failed: HTTP ${response.status} for ${new URL(url).pathname}`);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(file));
}
