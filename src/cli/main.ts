#!/usr/bin/env node
/**
 * The `sora-orchestrator` binary (package.json `bin`): a client of the app's
 * HTTP API for scripts and people. `npx sora-orchestrator --help` lists the
 * commands; run.ts does the work.
 */
import type { Output } from './context';
import { runCli } from './run';

const output: Output = {
  out: (text) => { process.stdout.write(`${text}\n`); },
  err: (text) => { process.stderr.write(`${text}\n`); },
  isTTY: process.stderr.isTTY,
  stderr: process.stderr,
};

void runCli(process.argv.slice(2), process.env, output).then((code) => {
  // Set, not exit(): stdout may still be draining into a pipe.
  process.exitCode = code;
});
