// The semaphore shared by the local host (activity functions) and the Sora
// emulator (ffmpeg renders): a bound that holds, arrival order, failures that
// free their slot.
import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/local/concurrency';

/** A task that runs until its gate is opened, recording when it starts. */
function gated(started: string[], name: string): { task: () => Promise<string>; open: () => void } {
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    task: async () => {
      started.push(name);
      await gate;
      return name;
    },
    open: () => {
      open();
    },
  };
}

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const started: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => gated(started, name));
    if (!a || !b || !c || !d) throw new Error('four tasks expected');
    const results = [a, b, c, d].map(({ task }) => semaphore.run(task));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b']);

    b.open();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b', 'c']);

    a.open();
    c.open();
    d.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('frees the slot when a task fails', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('render failed')))).rejects.toThrow('render failed');
    expect(await semaphore.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow('A concurrency limit must be a positive integer, got 0.');
    expect(() => new Semaphore(1.5)).toThrow('A concurrency limit must be a positive integer, got 1.5.');
  });
});
