/**
 * The pipeline fields a JSON body may carry (`correlationId`, `callback`) as
 * zod schemas: their shape, for the batch body's own check and for the
 * OpenAPI document. Whether a callback URL may be called is not a shape:
 * checkPipelineFields (./pipeline-fields.ts) decides that for every route.
 */
import { z } from 'zod';

const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;
export const CORRELATION_ID_RULE = 'must be 1–128 printable ASCII characters without spaces';

export const correlationIdField = z
  .string('must be a string')
  .regex(CORRELATION_ID, CORRELATION_ID_RULE)
  .meta({ description: 'Your own id, echoed in the completion event.' });

export const callbackField = z
  .strictObject(
    {
      url: z.string('must be a string').meta({
        description: 'Where the signed completion event is POSTed (Standard Webhooks): https only (plain http to loopback when the app allows local http); private, loopback and link-local addresses are refused.',
      }),
    },
    'must be {"url": "https://…"}',
  )
  .meta({ description: 'Ask for a signed webhook when this ends; needs the app to have a WEBHOOK_SECRET.' });
