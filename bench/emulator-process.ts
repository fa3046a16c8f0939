/**
 * The Sora emulator in a process of its own, so the CPU it spends serving
 * bytes is not counted as the copy's (the copying process is what a worker
 * pays for), with a synthetic video of the chosen size ready to download.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createVideoService } from '../src/sora';
import type { JobsClient } from '../src/sora/jobs-client';

/** This file runs from dist/bench/; the emulator's entry point is built beside it. */
const EMULATOR_MAIN = path.resolve(__dirname, '../src/local/sora-emulator/main.js');

export interface EmulatorProcess {
  endpoint: string;
  apiKey: string;
  sora: JobsClient;
  /** A succeeded generation whose video is a synthetic body of `bytes` bytes. */
  generation(bytes: number): Promise<string>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(options: { requestsPerMinute: number }): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [EMULATOR_MAIN, '--port', '0', '--job-seconds', '1', '--requests-per-minute', String(options.requestsPerMinute)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killChild = () => child.kill();
  process.once('exit', killChild);
  const ready = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the emulator exited with code ${String(code)} before it was ready`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('ready')) resolve(line);
    });
  });
  const endpoint = /endpoint (\S+)/.exec(ready)?.[1] ?? '';
  const apiKey = /api-key (\S+)/.exec(ready)?.[1] ?? '';
  const sora = createVideoService({ api: 'jobs', endpoint, deployment: 'sora', apiKey, timeoutMs: 120_000 });
  return {
    endpoint,
    apiKey,
    sora,
    async generation(bytes) {
      const fault = await fetch(`${endpoint}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'contentSize', bytes }) });
      if (!fault.ok) throw new Error(`the emulator refused the contentSize fault: HTTP ${fault.status}`);
      const job = await sora.submit({ prompt: 'benchmark', width: 480, height: 480, nSeconds: 1, nVariants: 1 });
      for (;;) {
        const now = await sora.getJob(job.id);
        if (now.status === 'succeeded') return now.generations[0]?.id ?? '';
        if (now.status === 'failed' || now.status === 'cancelled') throw new Error(`the benchmark's job ended ${now.status}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async close() {
      process.off('exit', killChild);
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
