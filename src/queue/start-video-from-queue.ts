/**
 * The queue starter: a message on the requests queue is the JSON body of
 * `POST /api/videos` (media as blob references) plus optional `id`,
 * `correlationId` and `callback`. It is checked by the same rules and
 * started by the same function as the HTTP route. What a message can never
 * become — a bad field, an id taken by other parameters — is consumed and
 * answered with one `rejected` event on the results queue naming every bad
 * field. Anything else that goes wrong throws, so the host tries the message
 * again and, after `maxDequeueCount` tries, moves it to the poison queue.
 *
 * Redelivery starts nothing new: the request runs under the message's `id`,
 * or without one under an id derived from the queue message's own id (the
 * same on every delivery of that message), and a start with an id that
 * exists answers with that request.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { RuleViolation } from '../contracts/validation';
import { isRequestId, parseCreateVideoRequest } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { requestRejection } from '../events/completion-event';
import { checkPipelineFields, takePipelineFields, validCorrelationId } from '../events/pipeline-fields';
import { publishCompletion } from '../events/publish-completion';
import { apiChoiceOf, settleVideoSpec } from '../requests/settle-video-spec';
import { startVideoRequest } from '../requests/start-video-request';

export function createStartVideoFromQueue(deps: () => Dependencies) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const dependencies = deps();
    const messageId = queueMessageIdOf(context);
    const { rest, fields } = takePipelineFields(message);
    const parsed = parseCreateVideoRequest(rest, apiChoiceOf(dependencies.config));
    const notify = await checkPipelineFields(dependencies.config, fields);
    // A rejection still echoes the client's correlation id when that one is fine.
    const correlationId = validCorrelationId(fields.correlationId);
    const fallbackId = `queue-${messageId}`;
    const reject = async (id: string, violations: RuleViolation[]) => {
      const outcome = await publishCompletion(dependencies, { ...requestRejection(id, correlationId, violations, new Date().toISOString()), eventId: `queue-message:${messageId}:rejected` });
      context.log(`Queue message ${messageId} rejected (${violations.map((v) => v.field).join(', ')}); event ${outcome}.`);
    };

    if (!parsed.ok || !notify.ok) {
      await reject(idOf(message) ?? fallbackId, [...(parsed.ok ? [] : parsed.violations), ...(notify.ok ? [] : notify.violations)]);
      return;
    }
    const id = parsed.value.id ?? fallbackId;
    const spec = await settleVideoSpec(dependencies, parsed.value);
    if (!spec.ok) {
      await reject(id, spec.violations);
      return;
    }
    const client = df.getClient(context);
    const outcome = await startVideoRequest(dependencies, client, { id, idChosenByClient: true, spec: spec.value, notify: notify.value }, (line) => {
      context.log(line);
    });
    if (outcome.kind === 'conflict') {
      await reject(id, [{ field: 'id', message: `names request '${id}', which exists with different parameters` }]);
      return;
    }
    if (outcome.kind === 'existing') context.log(`Queue message ${messageId}: request ${id} exists already; nothing new started.`);
  };
}

/** The host's id of the message: a GUID, the same on every delivery of it. */
function queueMessageIdOf(context: InvocationContext): string {
  const id = context.triggerMetadata?.id;
  if (typeof id !== 'string' || !isRequestId(`queue-${id}`)) throw new Error('The queue trigger gave no usable message id.');
  return id;
}

/** The message's own id when it is a usable one, for naming the request a rejection is about. */
function idOf(message: unknown): string | undefined {
  const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
  return typeof id === 'string' && isRequestId(id) ? id : undefined;
}
