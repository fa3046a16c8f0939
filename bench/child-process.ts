/**
 * Benchmarks that need a process of their own (a fresh heap to measure, a
 * stack that must not share the parent's event loop) run a script as a child:
 * the child prints its figures as JSON on its last line and exits.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Runs `script` in a new node process and returns the JSON it printed as its last line. */
export async function runInChildProcess<T>(script: string, args: readonly string[], nodeOptions: readonly string[] = []): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeOptions, script, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T;
}

/** The child's end: exit once its run settles (whatever handles the stacks it started leave open), 1 on failure. */
export function exitWhenSettled(run: Promise<unknown>): void {
  run.then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
