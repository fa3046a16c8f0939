/**
 * The CLI without the process around it: picks the command, parses its
 * options with node:util parseArgs, runs it against the API and turns every
 * failure into words on stderr and an exit code (exit-codes.ts). The binary
 * (main.ts) and the demo both call it.
 */
import { parseArgs } from 'node:util';
import { ApiError, createApiClient } from './api-client';
import type { Command, OptionsConfig } from './command';
import { COMMANDS } from './commands';
import { DEFAULT_URL, ENV, type Output } from './context';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { problemText } from './problem-text';

export const BIN_NAME = 'sora-orchestrator';

/** Options every command takes. */
const GLOBAL_OPTIONS: OptionsConfig = {
  url: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Status reads while following a request: our own API, cheap, and the stages change in seconds. */
const POLL_MS = 1000;

export function usage(): string {
  return [
    `Usage: ${BIN_NAME} COMMAND [options] [--url URL] [--key KEY] [--json]`,
    '',
    ...COMMANDS.map((c) => `  ${c.name} ${c.usage}\n      ${c.summary}`),
    '',
    `--url   the app, default ${DEFAULT_URL} (or ${ENV.url})`,
    `--key   the function key, sent as x-functions-key (or ${ENV.key}); not needed locally`,
    '--json  results as JSON on stdout (progress and errors stay on stderr)',
    '',
    'Exit codes: 0 done, 1 unexpected error, 2 bad command line, 3 the API refused the call (4xx),',
    '            4 the API unreachable or failing (5xx), 5 the request ended without videos (batch: not every item succeeded).',
  ].join('\n');
}

export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, output: Output): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    if (name === undefined) {
      output.err(usage());
      return EXIT.usage;
    }
    output.out(usage());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    output.err(`Unknown command '${name}'.\n\n${usage()}`);
    return EXIT.usage;
  }
  let json = false;
  try {
    const { values, positionals } = parseArgs({ args: [...rest], options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    if (values.help === true) {
      output.out(commandUsage(command));
      return EXIT.ok;
    }
    json = values.json === true;
    const url = stringValue(values.url) ?? env[ENV.url] ?? DEFAULT_URL;
    const api = createApiClient(url, stringValue(values.key) ?? env[ENV.key]);
    await command.run({ api, output, json, pollMs: POLL_MS }, { values, positionals });
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, command, json, output, stringValue(env[ENV.url]));
  }
}

function reportFailure(error: unknown, command: Command, json: boolean, output: Output, envUrl: string | undefined): ExitCode {
  if (error instanceof ApiError) {
    // Scripts get the problem details themselves; people get them in words.
    if (json) output.out(JSON.stringify(error.body));
    output.err(problemText(error));
    return error.status >= 500 ? EXIT.unavailable : EXIT.refused;
  }
  if (error instanceof CliError) {
    output.err(error.exitCode === EXIT.usage ? `${error.message}\n\n${commandUsage(command)}` : error.message);
    return error.exitCode;
  }
  if (isParseArgsError(error)) {
    output.err(`${error.message}\n\n${commandUsage(command)}`);
    return EXIT.usage;
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = error.cause instanceof Error ? error.cause.message : 'no answer';
    output.err(`Cannot reach the API (${cause}). Is the app running? Pass --url or set ${ENV.url}${envUrl === undefined ? '' : ` (now ${envUrl})`}.`);
    return EXIT.unavailable;
  }
  output.err(error instanceof Error ? error.message : String(error));
  return EXIT.failed;
}

function commandUsage(command: Command): string {
  return `Usage: ${BIN_NAME} ${command.name} ${command.usage} [--url URL] [--key KEY] [--json]\n  ${command.summary}`;
}

function isParseArgsError(error: unknown): error is Error {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
