// `npm run host -- --app DIR --time-skipping` with the durable patterns app: the
// CLI (dist/src/local/host/main.js, built by `npm test`) prints a line with
// `ready`, then serves the app's starters and the management URLs. Only the
// public HTTP surface is used here, as a user of `func start` would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postJson, type CheckStatusPayload, type StatusPayload } from './support/durable-http';
import { PATTERNS_APP } from './support/patterns-app';

const hostMain = fileURLToPath(new URL('../../dist/src/local/host/main.js', import.meta.url));
let cli: ChildProcess;
let baseUrl: string;
let output = '';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Resolves once the CLI printed `ready`; rejects if it exits first. */
function readyLine(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      reject(new Error(`host exited (${String(code)}) before ready:\n${output}`));
    });
  });
}

/** Polls the status URL until the instance leaves Pending/Running (no durable timer is waited for: time skips). */
async function finalStatus(urls: CheckStatusPayload): Promise<StatusPayload | undefined> {
  const giveUpAt = Date.now() + 30_000;
  while (Date.now() < giveUpAt) {
    const status = await call<StatusPayload>(urls.statusQueryGetUri);
    if (status.status !== 202) return status.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`instance ${urls.id} did not finish`);
}

async function start(orchestrator: string, input: unknown): Promise<CheckStatusPayload> {
  const response = await postJson<CheckStatusPayload>(`${baseUrl}/api/orchestrators/${orchestrator}`, input);
  expect(response.status).toBe(202);
  return response.body as CheckStatusPayload;
}

beforeAll(async () => {
  const appDir = PATTERNS_APP;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  cli = spawn(process.execPath, [hostMain, '--app', appDir, '--port', String(port), '--time-skipping'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await readyLine(cli);
});

afterAll(() => {
  cli.kill();
});

describe('npm run host -- --app <patterns> --time-skipping', () => {
  it('prints the app routes before ready', () => {
    expect(output).toContain('orchestrators/{orchestratorName}');
    expect(output).toContain('orchestrators/wait/{orchestratorName}');
  });

  it('runs helloSequence through the starter and the status URL', async () => {
    const urls = await start('helloSequence', null);
    expect(urls.statusQueryGetUri.startsWith(`${baseUrl}/runtime/webhooks/durabletask/instances/${urls.id}`)).toBe(true);
    expect(await finalStatus(urls)).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['Hello Oslo', 'Hello Lima', 'Hello Pune'],
    });
  });

  it('times out smsPhoneVerification after its 90 seconds of durable time', async () => {
    const urls = await start('smsPhoneVerification', '+15555550100');
    expect(await finalStatus(urls)).toMatchObject({ runtimeStatus: 'Completed', output: false });
    const purged = await call<{ instancesDeleted: number }>(urls.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect(purged.body).toEqual({ instancesDeleted: 1 });
    expect((await call(urls.statusQueryGetUri)).status).toBe(404);
  });

  it('counts to 10 with continueAsNewCounter', async () => {
    const urls = await start('continueAsNewCounter', null);
    expect(await finalStatus(urls)).toMatchObject({ runtimeStatus: 'Completed', output: 10 });
  });
});
