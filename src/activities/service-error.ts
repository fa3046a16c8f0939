/**
 * Turns whatever a Sora call threw into the small, secret-free record that
 * travels through orchestration state and reaches the client.
 */
import type { ServiceErrorInfo } from '../contracts/orchestration';
import { SoraError } from '../sora/errors';

export function serviceErrorInfo(error: unknown): ServiceErrorInfo {
  if (error instanceof SoraError) {
    return {
      status: error.status ?? null,
      code: error.code,
      message: error.serviceMessage,
      param: error.param,
      requestId: error.requestId,
    };
  }
  return { status: null, code: 'internal_error', message: error instanceof Error ? error.message : String(error), param: null, requestId: null };
}
