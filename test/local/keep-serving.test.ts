// The local host's command (`npm run host`, and `npm run dev` the same way)
// has a last-resort net: an exception or rejection nothing handled is logged
// with a line that says so, and the process goes on serving.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hostMain = fileURLToPath(new URL('../../dist/src/local/host/main.js', import.meta.url));
const appDir = fileURLToPath(new URL('./apps/throwing-app', import.meta.url));
let host: ChildProcess;
let output = '';
const waiting: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];

/** Resolves with the first match of `pattern` in what the host printed, now or later. */
function printed(pattern: RegExp): Promise<RegExpMatchArray> {
  const match = output.match(pattern);
  if (match) return Promise.resolve(match);
  return new Promise((resolve) => waiting.push({ pattern, resolve }));
}

function collect(chunk: Buffer): void {
  output += chunk.toString();
  for (const waiter of [...waiting]) {
    const match = output.match(waiter.pattern);
    if (match) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  }
}

let baseUrl: string;

beforeAll(async () => {
  host = spawn(process.execPath, [hostMain, '--app', appDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  host.stdout?.on('data', collect);
  host.stderr?.on('data', collect);
  const exited = new Promise<never>((_resolve, reject) => {
    host.once('exit', (code) => {
      reject(new Error(`the host exited (${String(code)}) before it was ready:\n${output}`));
    });
  });
  const ready = await Promise.race([printed(/Host ready at (http:\/\/\S+?)\.? /), exited]);
  baseUrl = ready[1] ?? '';
  host.removeAllListeners('exit');
});

afterAll(() => {
  host.kill();
});

describe('npm run host: the last-resort net', () => {
  it('logs an uncaught exception and an unhandled rejection, and keeps answering', async () => {
    const answered = await fetch(`${baseUrl}/api/throw-later`);
    expect(await answered.text()).toBe('answered');
    await printed(/Uncaught exception — a bug, please report it; still serving: Error: thrown from a callback/);
    await printed(/Unhandled promise rejection — a bug, please report it; still serving: Error: rejected with no one listening/);

    expect(host.exitCode).toBeNull();
    expect(await (await fetch(`${baseUrl}/api/ping`)).text()).toBe('pong');
  });
});
