/**
 * The local commands' last resort (`npm run dev`, `npm run host`): an error
 * nothing handled is logged with a line that says so, and the process keeps
 * serving every other request instead of taking the API, the emulator and
 * all in-flight work down with it. Only a net: each known cause is handled
 * where it happens, and the tests, which never install this, prove that.
 */
export function keepServingOnUncaughtErrors(log: (line: string) => void = (line) => { console.error(line); }): void {
  process.on('uncaughtException', (error) => {
    log(`Uncaught exception — a bug, please report it; still serving: ${describe(error)}`);
  });
  process.on('unhandledRejection', (reason) => {
    log(`Unhandled promise rejection — a bug, please report it; still serving: ${describe(reason)}`);
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
