/**
 * Every HTTP operation of the API, one entry each: the OpenAPI document is
 * built from this table (document.ts), and a test checks that every route the
 * app registers is in it. A new route is a new entry here.
 */
import type { z } from 'zod';
import { FUNCTIONS, ROUTES } from '../names';
import { batchPageQuerySchema, createBatchBodySchema } from '../contracts/batch';
import { listVideosQuery } from '../http/list-videos';
import { remixBody } from '../http/remix-video';
import { createVideoFormBody, createVideoJsonBody } from './request-schemas';
import {
  batchCancelAcceptedSchema,
  batchStartedSchema,
  batchViewSchema,
  cancelAcceptedSchema,
  capacitySchema,
  healthSchema,
  startedSchema,
  videoPageSchema,
  videoViewSchema,
} from './response-schemas';

/** A response: a body schema, a problem (problem+json), or neither. */
export type ResponseSpec =
  | { description: string; body: z.ZodType; headers?: readonly ResponseHeader[] }
  | { description: string; problem: true }
  | { description: string; document: true };

export type ResponseHeader = 'location' | 'retry-after';

export interface Operation {
  /** The registered function's name: the operationId. */
  name: string;
  /** A route of ROUTES (relative to the API prefix). */
  route: string;
  method: 'GET' | 'POST';
  summary: string;
  /** Needs no function key. */
  anonymous?: true;
  query?: z.ZodObject<Record<string, z.ZodType>>;
  body?: { json?: z.ZodType; multipart?: z.ZodType };
  responses: Readonly<Record<number, ResponseSpec>>;
}

const problem = (description: string): ResponseSpec => ({ description, problem: true });
const badInput = problem('Bad input: `errors` names every bad field; nothing was started.');
const notFound = problem('No request has this id (or the id breaks the id rule).');
const tooLarge = problem('The JSON body is over 1 MiB.');
const unsupportedType = problem('The Content-Type is not one the route reads; `acceptedTypes` lists them.');
const started: ResponseSpec = { description: 'Started: follow `Location` (or `links.self`).', body: startedSchema, headers: ['location', 'retry-after'] };
const existing: ResponseSpec = { description: 'A request with this client id already exists with the same parameters: its view.', body: videoViewSchema, headers: ['location'] };
const idTaken = problem('The client id is taken by a request with other parameters.');
const batchNotFound = problem('No batch has this id (or the id breaks the id rule).');

export const OPERATIONS: readonly Operation[] = [
  {
    name: FUNCTIONS.startVideo,
    route: ROUTES.videos,
    method: 'POST',
    summary: 'Ask for videos',
    body: { json: createVideoJsonBody, multipart: createVideoFormBody },
    responses: { 202: started, 200: existing, 400: badInput, 409: idTaken, 413: tooLarge, 415: unsupportedType },
  },
  {
    name: FUNCTIONS.listVideos,
    route: ROUTES.videos,
    method: 'GET',
    summary: 'Recent requests, newest first (last 7 days)',
    query: listVideosQuery,
    responses: { 200: { description: 'A page of requests.', body: videoPageSchema }, 400: badInput },
  },
  {
    name: FUNCTIONS.getVideo,
    route: ROUTES.video,
    method: 'GET',
    summary: 'Status of a request, with fresh read-only links once it succeeded',
    responses: { 200: { description: 'The request; `Retry-After` while it runs.', body: videoViewSchema, headers: ['retry-after'] }, 404: notFound },
  },
  {
    name: FUNCTIONS.cancelVideo,
    route: ROUTES.cancelVideo,
    method: 'POST',
    summary: 'Cancel a running request',
    responses: {
      202: { description: 'Cancel requested: the request ends `cancelled`.', body: cancelAcceptedSchema, headers: ['location'] },
      404: notFound,
      409: problem('The request has already finished; `requestStatus` says how.'),
    },
  },
  {
    name: FUNCTIONS.remixVideo,
    route: ROUTES.remixVideo,
    method: 'POST',
    summary: 'Remix a finished Sora 2 video with a new prompt (a new request)',
    body: { json: remixBody.strict() },
    responses: {
      202: started,
      200: existing,
      400: badInput,
      404: notFound,
      409: problem('The source did not succeed (`requestStatus` says how it ended) or used the jobs API; or the client id is taken.'),
      413: tooLarge,
      415: unsupportedType,
    },
  },
  {
    name: FUNCTIONS.startBatch,
    route: ROUTES.batches,
    method: 'POST',
    summary: 'Start a batch: each item is a POST /api/videos JSON body, run as request `<batch id>-<index>`',
    body: { json: createBatchBodySchema },
    responses: {
      202: { description: 'Started: follow `Location` (or `links.self`).', body: batchStartedSchema, headers: ['location', 'retry-after'] },
      200: { description: 'A batch with this client id already exists with the same items: its view (first page).', body: batchViewSchema, headers: ['location'] },
      400: problem('Bad input: `errors` names every bad field, items as `items[i].field`; nothing was started.'),
      409: problem('The client id is taken by a batch with other items (or that batch was removed while the call ran).'),
      413: tooLarge,
      415: unsupportedType,
    },
  },
  {
    name: FUNCTIONS.getBatch,
    route: ROUTES.batch,
    method: 'GET',
    summary: 'A batch: counts per state and a page of its items',
    query: batchPageQuerySchema,
    responses: {
      200: { description: 'The batch; `Retry-After` while it runs.', body: batchViewSchema, headers: ['retry-after'] },
      400: problem('A bad `limit`, or a `cursor` this batch did not return.'),
      404: batchNotFound,
    },
  },
  {
    name: FUNCTIONS.cancelBatch,
    route: ROUTES.cancelBatch,
    method: 'POST',
    summary: 'Cancel a running batch: no more of its items start, the running ones are cancelled',
    responses: {
      202: { description: 'Cancel requested: the batch ends `cancelled`.', body: batchCancelAcceptedSchema, headers: ['location'] },
      404: batchNotFound,
      409: problem('The batch has already ended; `runtimeStatus` says how.'),
    },
  },
  {
    name: FUNCTIONS.getCapacity,
    route: ROUTES.capacity,
    method: 'GET',
    summary: "Each deployment's capacity, running and queued requests",
    responses: { 200: { description: 'Per deployment.', body: capacitySchema } },
  },
  {
    name: FUNCTIONS.health,
    route: ROUTES.health,
    method: 'GET',
    summary: 'Whether the app can work: settings, storage, each video API',
    anonymous: true,
    responses: { 200: { description: 'Everything is ok.', body: healthSchema }, 503: { description: 'Something is not ok.', body: healthSchema } },
  },
  {
    name: FUNCTIONS.openApi,
    route: ROUTES.openApi,
    method: 'GET',
    summary: 'This document',
    anonymous: true,
    responses: { 200: { description: 'The OpenAPI 3.1 document.', document: true } },
  },
];
