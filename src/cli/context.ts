/**
 * What every command runs with: the API client from `--url` and `--key` (or
 * the environment), where to write, and whether to write JSON.
 */
import type { ApiClient } from './api-client';

/** The environment variables the CLI reads when `--url` / `--key` are not given. */
export const ENV = { url: 'SORA_ORCHESTRATOR_URL', key: 'SORA_ORCHESTRATOR_KEY' } as const;

/** `func start` and `npm run dev` listen here. */
export const DEFAULT_URL = 'http://localhost:7071';

export interface Output {
  /** Results (a line of text, or the JSON document with `--json`). */
  out(text: string): void;
  /** Progress and errors: never mixed into the results. */
  err(text: string): void;
  /** stderr is a terminal: progress is drawn as a bar instead of printed as lines. */
  isTTY: boolean;
  stderr: NodeJS.WritableStream;
}

export interface CommandContext {
  api: ApiClient;
  output: Output;
  json: boolean;
  /** How long to wait between status reads while following a request. */
  pollMs: number;
}
