/**
 * `npm run demo -- "prompt" [generate's options]`
 *
 * Runs the whole pipeline on this machine (Azurite + Sora emulator + local
 * host, or the real Azure OpenAI when AZURE_OPENAI_* is set) and runs the
 * CLI's `generate --out` against it, as any client would: a request on the
 * embedded defaults unless told otherwise, its progress, every variant
 * downloaded (into ./output by default); then stops everything.
 */
import { parseArgs } from 'node:util';
import { startLocalStack } from '../local/stack';
import { generate } from './commands/generate';
import type { Output } from './context';
import { EXIT } from './exit-codes';
import { runCli } from './run';

const USAGE = `Usage: npm run demo -- "prompt" ${generate.usage.replace('"PROMPT" ', '')}`;
const DEFAULT_PROMPT = 'A cat playing piano in a jazz bar';
const DEFAULT_OUT = 'output';

const output: Output = {
  out: (text) => { console.log(text); },
  err: (text) => { console.error(text); },
  isTTY: process.stderr.isTTY,
  stderr: process.stderr,
};

async function main(argv: string[]): Promise<number> {
  // Lenient here: generate parses the options for real and reports what is wrong.
  const { values, positionals } = parseArgs({ args: argv, options: { ...generate.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: false });
  if (values.help === true) {
    console.log(USAGE);
    return EXIT.ok;
  }
  console.log('Starting the local stack (Azurite, Sora emulator unless AZURE_OPENAI_ENDPOINT is set, local Functions host)…');
  const stack = await startLocalStack({ port: 0 });
  try {
    const sora = stack.emulator ? `Sora emulator at ${stack.emulator.endpoint}` : `Azure OpenAI at ${stack.settings.AZURE_OPENAI_ENDPOINT ?? '?'}`;
    console.log(`Ready: API ${stack.baseUrl}/api/videos · ${sora}`);
    const args = [
      ...(positionals.length === 0 ? [DEFAULT_PROMPT] : []),
      ...argv,
      ...(values.out === undefined ? ['--out', DEFAULT_OUT] : []),
      '--url',
      stack.baseUrl,
    ];
    return await runCli(['generate', ...args], {}, output);
  } finally {
    await stack.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(EXIT.failed);
  },
);
