/**
 * POST /api/videos — validate, park any media in the inputs container, then
 * start the orchestration whose instance id is the request id. JSON bodies may
 * reference blobs already in the inputs container; multipart/form-data bodies
 * carry the files in Sora's own shape. A client-supplied id makes the call
 * idempotent. Whatever is refused leaves nothing behind.
 */
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ContainerClient } from '@azure/storage-blob';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { VideoSpec } from '../contracts/orchestration';
import { parseCreateVideoRequest, type ApiChoice, type CreateVideoRequest } from '../contracts/video-request';
import { SORA_APIS } from '../sora/types';
import type { Dependencies } from '../dependencies';
import { receiveMultipart, type ReceivedForm } from '../inputs/receive-multipart';
import { resolveMedia } from '../inputs/resolve-media';
import { ensureContainer } from '../storage/blob-service';
import type { RuleResult } from '../contracts/validation';
import { bodyViolation, readJson } from './json-body';
import { findVideoRequest } from './instances';
import { validationProblem } from './problem';
import { startGeneration } from './start-generation';

interface Intake {
  parsed: RuleResult<CreateVideoRequest>;
  /** The id blobs were stored under (multipart), or the client's id (JSON). */
  id: string | undefined;
  form?: ReceivedForm;
}

export function createStartVideo(deps: () => Dependencies) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, blobService } = deps();
    const client = df.getClient(context);
    const inputs = blobService.getContainerClient(config.storage.inputsContainer);
    const limits = { maxImageBytes: config.storage.maxImageBytes, maxVideoBytes: config.storage.maxVideoBytes };

    const apis: ApiChoice = { default: config.sora.api, available: SORA_APIS.filter((api) => config.sora.deployments[api] !== undefined) };
    const intake = await receive(request, apis, inputs, client, Math.max(limits.maxImageBytes, limits.maxVideoBytes));
    const uploads = intake.form && !intake.form.existing ? intake.form.files.map((f) => f.blobName) : [];
    try {
      const violations = [...(intake.form?.violations ?? []), ...(intake.parsed.ok ? [] : intake.parsed.violations)];
      if (!intake.parsed.ok || violations.length > 0) return await refuse(inputs, uploads, validationProblem(violations));

      const media = await resolveMedia(intake.parsed.value.spec, intake.parsed.value.media, { container: inputs, files: intake.form?.files, limits });
      if (!media.ok) return await refuse(inputs, uploads, validationProblem(media.violations));
      const spec: VideoSpec = { ...intake.parsed.value.spec, ...(media.value.length > 0 ? { inputs: media.value } : {}) };

      const clientId = intake.form ? (intake.form.clientId ? intake.form.requestId : undefined) : intake.parsed.value.id;
      const outcome = await startGeneration(deps(), client, context, { clientId, id: intake.id, spec });
      // Not started means another call with this id won the race: its inputs share our blob names, so they stay.
      return outcome.response;
    } catch (error) {
      await removeBlobs(inputs, uploads);
      throw error;
    }
  };
}

async function receive(request: HttpRequest, apis: ApiChoice, inputs: ContainerClient, client: DurableClient, maxFileBytes: number): Promise<Intake> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    const body = await readJson(request);
    const parsed = body.ok ? parseCreateVideoRequest(body.value, apis) : { ok: false as const, violations: [bodyViolation(body)] };
    return { parsed, id: parsed.ok ? parsed.value.id : undefined };
  }
  if (!request.body) return { parsed: { ok: false, violations: [{ field: '(body)', message: 'is empty' }] }, id: undefined };
  await ensureContainer(inputs);
  const form = await receiveMultipart(request.body as WebReadableStream<Uint8Array>, contentType, {
    container: inputs,
    maxFileBytes,
    exists: async (id) => (await findVideoRequest(client, id)) !== undefined,
  });
  const parsed = parseCreateVideoRequest(form.fields, apis, 'form', form.files);
  return { parsed, id: form.requestId, form };
}

async function refuse(inputs: ContainerClient, uploads: string[], response: HttpResponseInit): Promise<HttpResponseInit> {
  await removeBlobs(inputs, uploads);
  return response;
}

async function removeBlobs(container: ContainerClient, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => container.getBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' })));
}
