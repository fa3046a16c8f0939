/**
 * The public "Durable Functions HTTP API" (/runtime/webhooks/durabletask/…)
 * as a test sees it: raw status codes, headers and JSON bodies.
 */
export const WEBHOOK_ROOT = '/runtime/webhooks/durabletask';

/** A history event as the HTTP API shows it (`EventType` as a name, not a number). */
export interface HistoryEventPayload {
  EventType: string;
  FunctionName?: string;
  Result?: unknown;
  Timestamp?: string;
  FireAt?: string;
  [field: string]: unknown;
}

export interface StatusPayload {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: HistoryEventPayload[] | null;
}

export interface HttpResult<T> {
  status: number;
  headers: Headers;
  body: T | undefined;
}

/** Management URLs, as `createCheckStatusResponse` and the start API return them. */
export interface CheckStatusPayload {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

async function readJson<T>(response: Response): Promise<T | undefined> {
  const text = await response.text();
  return text === '' ? undefined : (JSON.parse(text) as T);
}

/** Sends one request and parses a JSON body when there is one. */
export async function call<T>(url: string, init: RequestInit = {}): Promise<HttpResult<T>> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, body: await readJson<T>(response) };
}

/** POSTs a JSON body (the content type the raise-event API insists on). */
export function postJson<T>(url: string, body?: unknown): Promise<HttpResult<T>> {
  return call<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** GET instances/{id} on the public API, with optional query parameters. */
export function getStatusOverHttp(
  baseUrl: string,
  instanceId: string,
  query: Record<string, string> = {},
): Promise<HttpResult<StatusPayload>> {
  const url = new URL(`${WEBHOOK_ROOT}/instances/${encodeURIComponent(instanceId)}`, baseUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return call<StatusPayload>(url.href);
}

/** The webhook URL of an instance operation (raiseEvent/{name}, terminate, suspend, resume). */
export function instanceUrl(baseUrl: string, instanceId: string, operation = ''): string {
  const suffix = operation === '' ? '' : `/${operation}`;
  return new URL(`${WEBHOOK_ROOT}/instances/${encodeURIComponent(instanceId)}${suffix}`, baseUrl).href;
}

/** The history event types in order, e.g. ['ExecutionStarted', 'TaskCompleted', …]. */
export function eventTypes(events: readonly HistoryEventPayload[] | null | undefined): string[] {
  return (events ?? []).map((event) => event.EventType);
}
