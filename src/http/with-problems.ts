/**
 * Wraps an HTTP handler so every failure leaves as problem+json: a setting
 * error names the setting, anything unexpected is logged with its stack and
 * answered without it.
 */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigError } from '../config';
import { problem } from './problem';

/** Enough of a message to say what failed; anything longer is a payload, not a reason. */
const LOGGED_MESSAGE_CHARS = 300;

export function withProblems(handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof ConfigError) {
        context.error(error.message);
        return problem(500, 'The app is not configured correctly', error.message);
      }
      context.error(`Unhandled error in ${context.functionName}: ${loggable(error)}`);
      return problem(500, 'Internal error', `Something went wrong on our side. Quote invocation id ${context.invocationId} when asking for help.`);
    }
  };
}

/**
 * An error as it may be logged: its name, its message's first line and its
 * stack frames. The durable client quotes whole payloads in its messages
 * ("… Details: {…}", "… Initializer received: [{…}]"), which can be every
 * instance's input and output: the message is cut where a payload starts, and
 * anything past a few hundred characters stays out as well.
 */
function loggable(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const firstLine = error.message.split('\n', 1)[0] ?? '';
  const payloadAt = firstLine.search(/ Details: |Initializer received: |[[{]/);
  const reason = payloadAt === -1 ? firstLine : `${firstLine.slice(0, payloadAt).trimEnd()} (payload left out)`;
  const message = reason.length > LOGGED_MESSAGE_CHARS ? `${reason.slice(0, LOGGED_MESSAGE_CHARS)}… (cut)` : reason;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [`${error.name}: ${message}`, ...frames].join('\n');
}
