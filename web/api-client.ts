/** Calls to the app's HTTP API (README, "HTTP API") with the tab's function key, and its problem details as errors in words. */
import type { Problem, StudioConfig, VideoPage, VideoView } from './api-types.js';
import { askForFunctionKey, functionKey } from './function-key.js';

/** An answer that was not a success, with the API's own words for it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
  }
}

function describeProblem(status: number, problem: Problem | undefined): string {
  const fields = problem?.errors?.map((error) => `${error.field}: ${error.message}`) ?? [];
  if (fields.length > 0) return fields.join('\n');
  if (status === 401) return 'The API needs its function key: reload the page to enter it.';
  return problem?.detail ?? problem?.title ?? `The API answered HTTP ${status}.`;
}

/** A call with the tab's key; on 401 the page asks for a key and sends the call again with it. */
async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const key = functionKey();
    const headers = new Headers(init.headers);
    if (key !== null) headers.set('x-functions-key', key);
    const response = await fetch(path, { ...init, headers });
    if (response.status !== 401) return response;
    // Another call may have been given a key meanwhile: try that one first.
    if (functionKey() !== key) continue;
    if ((await askForFunctionKey(key)) === null) return response;
  }
}

async function jsonOf<T>(response: Response): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  const type = response.headers.get('content-type') ?? '';
  const problem = type.includes('json') ? ((await response.json()) as Problem) : undefined;
  throw new ApiError(response.status, problem);
}

const videoPath = (id: string) => `/api/videos/${encodeURIComponent(id)}`;
const jsonInit = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const api = {
  /** The studio's own configuration: served with the page, no key needed. */
  config: async () => jsonOf<StudioConfig>(await fetch('/studio-config.json')),
  list: async (limit: number, cursor: string | null) => {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === null ? {} : { cursor }) });
    return jsonOf<VideoPage>(await apiFetch(`/api/videos?${query.toString()}`));
  },
  get: async (id: string) => jsonOf<VideoView>(await apiFetch(videoPath(id))),
  /** JSON, or a form when files go along (the API's multipart shape). */
  create: async (body: FormData | Record<string, unknown>) =>
    jsonOf<{ id: string }>(await apiFetch('/api/videos', body instanceof FormData ? { method: 'POST', body } : jsonInit(body))),
  cancel: async (id: string) => jsonOf<unknown>(await apiFetch(`${videoPath(id)}/cancel`, { method: 'POST' })),
  remix: async (id: string, prompt: string) => jsonOf<{ id: string }>(await apiFetch(`${videoPath(id)}/remix`, jsonInit({ prompt }))),
};
