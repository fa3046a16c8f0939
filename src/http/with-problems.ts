/**
 * Wraps an HTTP handler so every failure leaves as problem+json: a setting
 * error names the setting, anything unexpected is logged with its stack and
 * answered without it.
 */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigError } from '../config';
import { problem } from './problem';

export function withProblems(handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof ConfigError) {
        context.error(error.message);
        return problem(500, 'The app is not configured correctly', error.message);
      }
      context.error(`Unhandled error in ${context.functionName}:`, error);
      return problem(500, 'Internal error', `Something went wrong on our side. Quote invocation id ${context.invocationId} when asking for help.`);
    }
  };
}
