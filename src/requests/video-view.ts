/**
 * Turns an orchestration's durable state into the small JSON a client reads,
 * with read-only links minted now (links never live in orchestration state).
 */
import { OrchestrationRuntimeStatus, type DurableOrchestrationStatus } from 'durable-functions';
import type { VideoGenerationInput, VideoProgress, VideoResult } from '../contracts/orchestration';
import { STATUS_OF_RUNTIME_STATUS, type PublicStatus } from '../contracts/public-status';
import type { ReadLinkSigner } from '../storage/read-links';
import type { WebhookDeliveryState } from '../webhooks/delivery-contract';

export interface VideoLinks {
  self: string;
  cancel: string;
}

export interface VideoSummary {
  id: string;
  status: PublicStatus;
  prompt: string;
  createdAt: string;
  updatedAt: string;
  links: VideoLinks;
}

export interface VideoView extends VideoSummary {
  api: VideoGenerationInput['spec']['api'];
  size: string;
  n_seconds: number;
  n_variants: number;
  soraJobId: string | null;
  /** The request this one remixes (Sora 2). */
  remixOf: string | null;
  /** Requests that remix this one (Sora 2), when asked for. */
  remixes?: string[];
  inputs: { type: 'image' | 'video'; fileName: string; frameIndex: number; bytes: number }[];
  progress: Omit<VideoProgress, 'stage' | 'soraJobId'> | null;
  error?: { code: string | null; message: string; requestId: string | null };
  videos: { variant: number; url: string; thumbnailUrl: string | null; contentType: string; bytes: number; sha256: string }[];
  /** When the request named a callback: how its signed completion event's delivery goes. */
  webhook?: WebhookDeliveryState;
}

export function linksOf(id: string): VideoLinks {
  const self = `/api/videos/${encodeURIComponent(id)}`;
  return { self, cancel: `${self}/cancel` };
}

export function publicStatusOf(status: DurableOrchestrationStatus): PublicStatus {
  const rule = STATUS_OF_RUNTIME_STATUS[status.runtimeStatus] ?? 'pending';
  if (rule === 'fromStage') return progressOf(status)?.stage ?? 'pending';
  if (rule === 'fromOutcome') return resultOf(status)?.outcome ?? 'failed';
  return rule;
}

export function summaryOf(status: DurableOrchestrationStatus): VideoSummary {
  const input = status.input as VideoGenerationInput;
  return {
    id: status.instanceId,
    status: publicStatusOf(status),
    prompt: input.spec.prompt,
    createdAt: isoTime(input.acceptedAt),
    updatedAt: isoTime(status.lastUpdatedTime),
    links: linksOf(status.instanceId),
  };
}

export async function viewOf(status: DurableOrchestrationStatus, readLink: ReadLinkSigner): Promise<VideoView> {
  const input = status.input as VideoGenerationInput;
  const progress = progressOf(status);
  const result = resultOf(status);
  const view: VideoView = {
    ...summaryOf(status),
    api: input.spec.api,
    size: `${input.spec.width}x${input.spec.height}`,
    n_seconds: input.spec.nSeconds,
    n_variants: input.spec.nVariants,
    soraJobId: result?.soraJobId ?? progress?.soraJobId ?? null,
    remixOf: input.spec.remixOf?.requestId ?? null,
    inputs: (input.spec.inputs ?? []).map((i) => ({ type: i.type, fileName: i.fileName, frameIndex: i.frameIndex, bytes: i.bytes })),
    progress: progress ? detailsOf(progress) : null,
    videos: [],
  };
  if (result?.outcome === 'succeeded') {
    const { container, videos } = result.manifest;
    view.videos = await Promise.all(
      videos.map(async (v) => ({
        variant: v.variant,
        url: await readLink(container, v.blobName),
        thumbnailUrl: v.thumbnailBlobName ? await readLink(container, v.thumbnailBlobName) : null,
        contentType: v.contentType,
        bytes: v.bytes,
        sha256: v.sha256,
      })),
    );
  }
  const error = errorOf(status, result);
  if (error) view.error = error;
  return view;
}

function errorOf(status: DurableOrchestrationStatus, result: VideoResult | undefined): VideoView['error'] {
  if (result?.outcome === 'failed') return { code: result.error.code, message: result.error.message, requestId: result.error.requestId };
  if (result?.outcome === 'timed_out') return { code: 'timed_out', message: timedOutMessage(result.soraJobId, progressOf(status)), requestId: null };
  if (status.runtimeStatus === OrchestrationRuntimeStatus.Failed) {
    // The extension's failure text can carry a stack trace: show its first line only.
    const text = typeof status.output === 'string' ? status.output : 'The orchestration failed.';
    return { code: 'orchestration_failed', message: text.split('\n')[0] ?? text, requestId: null };
  }
  if (status.runtimeStatus === OrchestrationRuntimeStatus.Terminated) return { code: 'terminated', message: 'The request was terminated by an operator.', requestId: null };
  return undefined;
}

/**
 * A request times out while Sora works on its job (which is then cancelled),
 * or before Sora took one: it was still queued for a slot, Sora kept answering
 * 429, or its answer to a create
 * was lost and no job of this request turned up (the last wait says which).
 */
function timedOutMessage(soraJobId: string | null, progress: VideoProgress | undefined): string {
  if (soraJobId !== null) return `The video was not ready before the deadline; Sora job ${soraJobId} was cancelled.`;
  const queuePosition = progress?.queuePosition ?? null;
  if (queuePosition !== null) {
    return `The deadline passed while the request waited for a free slot at the deployment (last at position ${String(queuePosition)} in its queue); no Sora job was started.`;
  }
  if (progress?.submit.waiting === 'unsure') {
    return "The deadline passed while it was unclear whether Sora had taken the job (its answer was lost); no job of this request was found at Sora.";
  }
  return 'The deadline passed before Sora accepted the job (it kept asking us to wait and retry); no Sora job was started.';
}

/**
 * `getStatus` gives Dates, but `getStatusBy` hands back the raw JSON with ISO
 * strings although its type says Date; accept both.
 */
function isoTime(value: Date | string): string {
  return new Date(value).toISOString();
}

function detailsOf({ stage: _stage, soraJobId: _jobId, ...details }: VideoProgress): VideoView['progress'] {
  return details;
}

function progressOf(status: DurableOrchestrationStatus): VideoProgress | undefined {
  const custom = status.customStatus as VideoProgress | null | undefined;
  return custom ?? undefined;
}

function resultOf(status: DurableOrchestrationStatus): VideoResult | undefined {
  return status.runtimeStatus === OrchestrationRuntimeStatus.Completed ? (status.output as VideoResult) : undefined;
}
