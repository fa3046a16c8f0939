/**
 * The fields a request body may carry besides Sora's: `correlationId` (the
 * client's own id, echoed in the completion event) and `callback` (where the
 * signed completion event is POSTed). Taken off the body before the Sora
 * rules see it, and checked here — the callback URL against the address
 * rules, so a refusal names `callback.url` like any other bad field.
 */
import type { AppConfig } from '../config';
import type { RequestNotify } from '../contracts/orchestration';
import type { RuleResult, RuleViolation } from '../contracts/validation';
import { vetCallbackUrl } from '../webhooks/callback-target';
import { EVENT_SETTINGS } from './event-settings';
import { CORRELATION_ID_RULE, correlationIdField } from './pipeline-field-schemas';

export interface PipelineFields {
  correlationId?: unknown;
  callback?: unknown;
}

/** The correlation id when it is a valid one (a rejection still echoes it), else null. */
export function validCorrelationId(value: unknown): string | null {
  const checked = correlationIdField.safeParse(value);
  return checked.success ? checked.data : null;
}

/** The body without the pipeline fields, and those fields (untouched when the body is not an object). */
export function takePipelineFields(body: unknown): { rest: unknown; fields: PipelineFields } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { rest: body, fields: {} };
  const { correlationId, callback, ...rest } = body as Record<string, unknown>;
  return { rest, fields: { correlationId, callback } };
}

/** Checks the fields; a DNS failure that may pass throws (the caller's transient failure), a refused URL is a violation. */
export async function checkPipelineFields(config: Pick<AppConfig, 'events'>, fields: PipelineFields): Promise<RuleResult<RequestNotify | undefined>> {
  const violations: RuleViolation[] = [];
  const { correlationId, callback } = fields;
  if (correlationId !== undefined && validCorrelationId(correlationId) === null) {
    violations.push({ field: 'correlationId', message: CORRELATION_ID_RULE });
  }
  let callbackUrl: string | null = null;
  if (callback !== undefined) {
    const shape = typeof callback === 'object' && callback !== null && !Array.isArray(callback) ? (callback as Record<string, unknown>) : undefined;
    const url = shape?.url;
    const extra = shape === undefined ? [] : Object.keys(shape).filter((key) => key !== 'url');
    if (typeof url !== 'string') {
      violations.push({ field: 'callback', message: 'must be {"url": "https://…"}' });
    } else if (extra.length > 0) {
      violations.push({ field: 'callback', message: `takes only url (not ${extra.join(', ')})` });
    } else if (config.events.webhook.secret === undefined) {
      violations.push({ field: 'callback', message: `is not available: this app has no ${EVENT_SETTINGS.webhookSecret} to sign webhooks with` });
    } else {
      const target = await vetCallbackUrl(url, config.events.webhook);
      if (!target.ok && !target.lasting) throw new Error(`callback.url ${target.message}`);
      if (target.ok) callbackUrl = target.url.href;
      else violations.push({ field: 'callback.url', message: target.message });
    }
  }
  if (violations.length > 0) return { ok: false, violations };
  if (correlationId === undefined && callbackUrl === null) return { ok: true, value: undefined };
  return { ok: true, value: { correlationId: typeof correlationId === 'string' ? correlationId : null, callbackUrl } };
}
