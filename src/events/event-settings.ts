/**
 * The settings of the pipeline side: the queue requests arrive on, the
 * queue completion events go to, how the app reaches queues with an
 * identity, and the webhook secret. src/config.ts folds them into the
 * app's one settings check.
 */
import { z } from 'zod';

export const EVENT_SETTINGS = {
  requestsQueue: 'VIDEO_REQUESTS_QUEUE',
  resultsQueue: 'VIDEO_RESULTS_QUEUE',
  videoStorageQueueServiceUri: 'VideoStorage__queueServiceUri',
  webhookSecret: 'WEBHOOK_SECRET',
  webhookAllowLocalHttp: 'WEBHOOK_ALLOW_LOCAL_HTTP',
} as const;

export const DEFAULT_REQUESTS_QUEUE = 'video-requests';
export const DEFAULT_RESULTS_QUEUE = 'video-results';

export interface EventsConfig {
  requestsQueue: string;
  resultsQueue: string;
  /** With an identity connection: the queue endpoint of the video storage account. */
  queueServiceUri: string | undefined;
  webhook: {
    /** The Standard Webhooks signing key (the bytes behind `whsec_…`); undefined: callbacks are refused. */
    secret: Buffer | undefined;
    /** Local runs: plain http, and loopback addresses, are allowed for callback URLs. */
    allowLocalHttp: boolean;
  };
}

/** Queue names leave room for the `-poison` queue the host makes beside them (63 characters in all). */
const queueName = (defaultValue: string) =>
  z
    .string()
    .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$/, 'must be a valid queue name (3–56 lowercase letters, digits, single hyphens, so that its -poison queue fits)')
    .default(defaultValue);

/** `whsec_` and the base64 of 24–64 random bytes, as Standard Webhooks secrets are written. */
const webhookSecret = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional()
  .pipe(
    z
      .string()
      .regex(/^(whsec_)?[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64 (e.g. whsec_$(openssl rand -base64 32))')
      .transform((v) => Buffer.from(v.replace(/^whsec_/, ''), 'base64'))
      .refine((key) => key.length >= 24 && key.length <= 64, 'must hold 24 to 64 bytes of key (e.g. whsec_$(openssl rand -base64 32))')
      .optional(),
  );

export const eventSettingsSchema = {
  [EVENT_SETTINGS.requestsQueue]: queueName(DEFAULT_REQUESTS_QUEUE),
  [EVENT_SETTINGS.resultsQueue]: queueName(DEFAULT_RESULTS_QUEUE),
  [EVENT_SETTINGS.videoStorageQueueServiceUri]: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  [EVENT_SETTINGS.webhookSecret]: webhookSecret,
  [EVENT_SETTINGS.webhookAllowLocalHttp]: z.enum(['true', 'false'], 'must be true or false').default('false'),
};

type EventSettings = z.output<z.ZodObject<typeof eventSettingsSchema>>;

export function eventsConfigOf(s: EventSettings): EventsConfig {
  return {
    requestsQueue: s.VIDEO_REQUESTS_QUEUE,
    resultsQueue: s.VIDEO_RESULTS_QUEUE,
    queueServiceUri: s.VideoStorage__queueServiceUri,
    webhook: { secret: s.WEBHOOK_SECRET, allowLocalHttp: s.WEBHOOK_ALLOW_LOCAL_HTTP === 'true' },
  };
}

/**
 * The queue the starter is bound to, read when functions register (before
 * settings are checked): a bad name is refused by the settings check.
 */
export function requestsQueueOf(env: NodeJS.ProcessEnv): string {
  const name = env[EVENT_SETTINGS.requestsQueue]?.trim();
  return name === undefined || name === '' ? DEFAULT_REQUESTS_QUEUE : name;
}
