/**
 * The admin route, outside /openai/ and without auth (the emulator is a local
 * tool): GET /_emulator/faults lists, POST adds one fault (JSON body, see
 * SoraFault), DELETE clears them all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkRules } from '../../contracts/validation';
import { ApiError, invalidRequest } from './errors';
import { soraFaultSchema, type SoraFaults } from './faults';
import { readBody } from './request-body';
import { sendJson } from './route';

export const ADMIN_FAULTS_PATH = '/_emulator/faults';

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, faults: SoraFaults, uploadsDir: string): Promise<void> {
  if (path !== ADMIN_FAULTS_PATH) throw new ApiError(404, { code: 'NotFound', message: `No admin route ${path}; use ${ADMIN_FAULTS_PATH}.` });
  switch (req.method) {
    case 'GET':
      sendJson(res, 200, { faults: faults.list() });
      return;
    case 'POST': {
      const body = await readBody(req, uploadsDir);
      await body.discard();
      const checked = checkRules(soraFaultSchema, body.fields);
      if (!checked.ok) throw invalidRequest(checked.violations);
      faults.add(checked.value);
      sendJson(res, 201, { faults: faults.list() });
      return;
    }
    case 'DELETE':
      faults.clear();
      res.writeHead(204);
      res.end();
      return;
    default:
      throw new ApiError(405, { code: 'MethodNotAllowed', message: `${String(req.method)} is not supported on ${path}.` });
  }
}
