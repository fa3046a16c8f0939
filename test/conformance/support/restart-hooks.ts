import { fileURLToPath } from 'node:url';

/** The app of the restart and chaos tests (apps/restart.js). */
export const RESTART_APP = fileURLToPath(new URL('../apps/restart.js', import.meta.url));

/** How a test steers the activities of apps/restart.js, which reads them from globalThis. */
export interface RestartHooks {
  gatedWork: (input: string) => Promise<string>;
  countRun: (key: string) => number;
}

declare global {
  var restartTestHooks: RestartHooks | undefined;
}

export function setRestartHooks(hooks: RestartHooks): void {
  globalThis.restartTestHooks = hooks;
}
