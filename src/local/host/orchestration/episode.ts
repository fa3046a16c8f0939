import type { Registration } from '../core-types';
import type { Invoker } from '../invoke';
import type { HistoryEvent } from './history';
import { executorOf, type OrchestratorStateWire, type SdkExecutor } from './sdk-state';

/**
 * The orchestration trigger payload the Durable extension sends, with replay
 * schema V3 advertised as production does (upperSchemaVersionNew = 2) and the
 * timer durations V3 requires.
 */
export interface EpisodeInput {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | undefined;
}

export interface EpisodeResult {
  /** The state the SDK returned, or the one it attached to its failure. */
  state: OrchestratorStateWire | undefined;
  /** The unhandled orchestrator error's message, if it failed. */
  error: string | undefined;
  /** The stack of that error, for failure details. */
  errorStack: string;
  executor: SdkExecutor | undefined;
}

const OUT_OF_PROC_DATA = '$OutOfProcData$:';

const TIMER_SETTINGS = {
  longRunningTimerIntervalDuration: '3.00:00:00',
  maximumShortTimerDuration: '6.00:00:00',
  defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
} as const;

export async function runEpisode(invoker: Invoker, orchestrator: Registration, input: EpisodeInput): Promise<EpisodeResult> {
  const payload = {
    ...input,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    ...TIMER_SETTINGS,
  };
  const outcome = await invoker.invoke(orchestrator, { json: JSON.stringify(payload) });
  const executor = executorOf(outcome.context);
  if (outcome.ok) {
    const json = outcome.response.returnValue?.json;
    const state = json === undefined ? undefined : (JSON.parse(json) as OrchestratorStateWire);
    return { state, error: undefined, errorStack: '', executor };
  }
  const error = outcome.error;
  const message = error instanceof Error ? error.message : String(error);
  const marker = message.indexOf(OUT_OF_PROC_DATA);
  if (marker === -1) {
    // Not the SDK's failure (e.g. the handler is not an orchestrator): the whole message is the error.
    return { state: undefined, error: message, errorStack: error instanceof Error ? (error.stack ?? '') : '', executor };
  }
  const state = JSON.parse(message.slice(marker + OUT_OF_PROC_DATA.length)) as OrchestratorStateWire;
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  return { state, error: state.error ?? message.slice(0, marker).trim(), errorStack: stack, executor };
}
