/**
 * The admin routes, outside /openai/ and without auth (the emulator is a
 * local tool). Each is a collection: GET lists, POST adds one (JSON body),
 * DELETE clears them all.
 * - /_emulator/faults: faults to inject (see SoraFault);
 * - /_emulator/retired-deployments: `{"deployment": "<name>"}` marks a
 *   deployment retired, so every call to it answers 410.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { checkRules } from '../../contracts/validation';
import type { EmulatorContext } from './context';
import { ApiError, invalidRequest } from './errors';
import { soraFaultSchema } from './faults';
import { readBody } from './request-body';
import { sendJson } from './route';

export const ADMIN_FAULTS_PATH = '/_emulator/faults';
export const ADMIN_RETIRED_PATH = '/_emulator/retired-deployments';

const retiredSchema = z.object({ deployment: z.string('is required').min(1, 'is required') });

interface Collection {
  list(): unknown;
  add(fields: Record<string, unknown>): void;
  clear(): void;
}

function collections(ctx: EmulatorContext): Record<string, Collection> {
  return {
    [ADMIN_FAULTS_PATH]: {
      list: () => ({ faults: ctx.faults.list() }),
      add: (fields) => {
        const checked = checkRules(soraFaultSchema, fields);
        if (!checked.ok) throw invalidRequest(checked.violations);
        ctx.faults.add(checked.value);
      },
      clear: () => {
        ctx.faults.clear();
      },
    },
    [ADMIN_RETIRED_PATH]: {
      list: () => ({ retired: ctx.retired.list() }),
      add: (fields) => {
        const checked = checkRules(retiredSchema, fields);
        if (!checked.ok) throw invalidRequest(checked.violations);
        ctx.retired.add(checked.value.deployment);
      },
      clear: () => {
        ctx.retired.clear();
      },
    },
  };
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, ctx: EmulatorContext): Promise<void> {
  const collection = collections(ctx)[path];
  if (!collection) throw new ApiError(404, { code: 'NotFound', message: `No admin route ${path}; use ${ADMIN_FAULTS_PATH} or ${ADMIN_RETIRED_PATH}.` });
  switch (req.method) {
    case 'GET':
      sendJson(res, 200, collection.list());
      return;
    case 'POST': {
      const body = await readBody(req, ctx.uploadsDir);
      await body.discard();
      collection.add(body.fields);
      sendJson(res, 201, collection.list());
      return;
    }
    case 'DELETE':
      collection.clear();
      res.writeHead(204);
      res.end();
      return;
    default:
      throw new ApiError(405, { code: 'MethodNotAllowed', message: `${String(req.method)} is not supported on ${path}.` });
  }
}
