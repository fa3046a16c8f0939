/**
 * POST /api/videos — read the body, park any uploaded media in the inputs
 * container, then hand the checked request to src/requests/ to settle its
 * spec and start the orchestration whose instance id is the request id. JSON
 * bodies may reference blobs already in the inputs container;
 * multipart/form-data bodies carry the files in Sora's own shape. A client's
 * `id` makes the call idempotent. Whatever is refused leaves nothing behind.
 */
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ContainerClient } from '@azure/storage-blob';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { RuleResult } from '../contracts/validation';
import { parseCreateVideoRequest, requestIdFor, type ApiChoice, type CreateVideoRequest } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { checkPipelineFields, takePipelineFields, type PipelineFields } from '../events/pipeline-fields';
import { receiveMultipart, type ReceivedForm } from '../inputs/receive-multipart';
import { apiChoiceOf, inputsContainerOf, mediaLimitsOf, settleVideoSpec } from '../requests/settle-video-spec';
import { startVideoRequest } from '../requests/start-video-request';
import { findVideoRequest } from '../requests/video-instances';
import { ensureContainer } from '../storage/blob-service';
import { bodyTypeOf, unsupportedMediaType, type BodyType } from './body-type';
import { bodyProblem, readJson } from './json-body';
import { validationProblem } from './problem';
import { startResponse } from './start-response';

/** JSON (media as blob names) or a form in Sora's own shape (media as file parts). */
const BODY_TYPES: readonly BodyType[] = ['json', 'multipart'];

interface Intake {
  parsed: RuleResult<CreateVideoRequest>;
  /** Multipart bodies only: the stored parts and the id they are stored under. */
  form?: ReceivedForm;
  /** JSON bodies only: `correlationId` and `callback`. */
  pipeline?: PipelineFields;
}

export function createStartVideo(deps: () => Dependencies) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const bodyType = bodyTypeOf(request, BODY_TYPES);
    if (bodyType === undefined) return unsupportedMediaType(request, BODY_TYPES);
    const dependencies = deps();
    const client = df.getClient(context);
    const inputs = inputsContainerOf(dependencies);
    const apis = apiChoiceOf(dependencies.config);
    let intake: Intake;
    if (bodyType === 'json') {
      const body = await readJson(request);
      if (!body.ok) return bodyProblem(body);
      const { rest, fields } = takePipelineFields(body.value);
      intake = { parsed: parseCreateVideoRequest(rest, apis), pipeline: fields };
    } else {
      const limits = mediaLimitsOf(dependencies.config);
      intake = await receiveForm(request, apis, inputs, client, Math.max(limits.maxImageBytes, limits.maxVideoBytes));
    }
    const uploads = intake.form && !intake.form.existing ? intake.form.files.map((f) => f.blobName) : [];
    try {
      const notify = await checkPipelineFields(dependencies.config, intake.pipeline ?? {});
      const violations = [...(intake.form?.violations ?? []), ...(intake.parsed.ok ? [] : intake.parsed.violations), ...(notify.ok ? [] : notify.violations)];
      if (!intake.parsed.ok || !notify.ok || violations.length > 0) return await refuse(inputs, uploads, validationProblem(violations));

      const spec = await settleVideoSpec(dependencies, intake.parsed.value, intake.form?.files);
      if (!spec.ok) return await refuse(inputs, uploads, validationProblem(spec.violations));

      // A form's id was settled while its files arrived (they are stored under it); a JSON body's is settled here.
      const { id, idChosenByClient } = intake.form ?? requestIdFor(intake.parsed.value.id);
      const outcome = await startVideoRequest(dependencies, client, { id, idChosenByClient, spec: spec.value, notify: notify.value }, (message) => { context.log(message); });
      // Not started means another call with this id won the race: its inputs share our blob names, so they stay.
      return await startResponse(dependencies, outcome);
    } catch (error) {
      await removeBlobs(inputs, uploads);
      throw error;
    }
  };
}

async function receiveForm(request: HttpRequest, apis: ApiChoice, inputs: ContainerClient, client: DurableClient, maxFileBytes: number): Promise<Intake> {
  if (!request.body) return { parsed: { ok: false, violations: [{ field: '(body)', message: 'is empty' }] } };
  await ensureContainer(inputs);
  const received = await receiveMultipart(request.body as WebReadableStream<Uint8Array>, request.headers.get('content-type') ?? '', {
    container: inputs,
    maxFileBytes,
    exists: async (id) => (await findVideoRequest(client, id)) !== undefined,
  });
  if (!received.ok) return { parsed: received };
  const form = received.value;
  return { parsed: parseCreateVideoRequest(form.fields, apis, 'form', form.files), form };
}

async function refuse(inputs: ContainerClient, uploads: string[], response: HttpResponseInit): Promise<HttpResponseInit> {
  await removeBlobs(inputs, uploads);
  return response;
}

async function removeBlobs(container: ContainerClient, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => container.getBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' })));
}
