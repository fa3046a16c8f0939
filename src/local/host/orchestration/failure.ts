import type { FailureFields } from './history';

/**
 * How the extension records an activity's error in TaskFailed: the reason
 * "Activity function '<name>' failed: <message>" plus details, or, when the
 * SDK serialized failure details (an exception-properties provider is
 * registered), those details.
 */
export function activityFailure(name: string, error: unknown): FailureFields {
  const message = error instanceof Error ? error.message : String(error);
  const details = serializedFailureDetails(message);
  if (details !== undefined) return { FailureDetails: details };
  const stack = error instanceof Error ? (error.stack ?? message) : message;
  return { Reason: `Activity function '${name}' failed: ${message}`, Details: stack };
}

/** The message a failed orchestration reports as its output, as the extension words it. */
export function orchestratorFailureMessage(name: string, error: string): string {
  return `Orchestrator function '${name}' failed: ${error}`;
}

interface SerializedDetails {
  errorType?: unknown;
  errorMessage?: unknown;
  stackTrace?: unknown;
  isNonRetriable?: unknown;
}

function serializedFailureDetails(
  message: string,
): { ErrorType: string; ErrorMessage: string; StackTrace?: string; IsNonRetriable: boolean } | undefined {
  if (!message.startsWith('{')) return undefined;
  let parsed: SerializedDetails;
  try {
    parsed = JSON.parse(message) as SerializedDetails;
  } catch {
    return undefined;
  }
  if (typeof parsed.errorType !== 'string' || typeof parsed.errorMessage !== 'string') return undefined;
  return {
    ErrorType: parsed.errorType,
    ErrorMessage: parsed.errorMessage,
    ...(typeof parsed.stackTrace === 'string' ? { StackTrace: parsed.stackTrace } : {}),
    IsNonRetriable: parsed.isNonRetriable === true,
  };
}
