// The host's clocks: the time-skipping one jumps to the next timer on demand;
// the real one fires timers when they are due.
import { describe, expect, it } from 'vitest';
import { createRealClock, createTimeSkippingClock } from '../../src/local/host/clock';

const HOUR = 60 * 60 * 1000;

describe('time-skipping clock', () => {
  it('starts at wall-clock time', () => {
    const clock = createTimeSkippingClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1000);
  });

  it('jumps to the earliest timer, fires timers in order and never goes back', async () => {
    const clock = createTimeSkippingClock();
    const start = clock.now();
    const fired: string[] = [];
    clock.schedule(start + 2 * HOUR, () => fired.push('two hours'));
    clock.schedule(start + HOUR, () => fired.push('one hour'));
    expect(clock.nextDueTime()).toBe(start + HOUR);

    expect(clock.skipToNextTimer()).toBe(true);
    await Promise.resolve();
    expect(fired).toEqual(['one hour']);
    expect(clock.now()).toBeGreaterThanOrEqual(start + HOUR);
    expect(clock.now()).toBeLessThan(start + 2 * HOUR);

    expect(clock.skipToNextTimer()).toBe(true);
    await Promise.resolve();
    expect(fired).toEqual(['one hour', 'two hours']);
    expect(clock.now()).toBeGreaterThanOrEqual(start + 2 * HOUR);
    expect(clock.skipToNextTimer()).toBe(false);
    clock.dispose();
  });

  it('does not fire cancelled timers', async () => {
    const clock = createTimeSkippingClock();
    const fired: string[] = [];
    const cancel = clock.schedule(clock.now() + HOUR, () => fired.push('cancelled'));
    clock.schedule(clock.now() + 2 * HOUR, () => fired.push('kept'));
    cancel();
    clock.skipToNextTimer();
    await Promise.resolve();
    expect(fired).toEqual(['kept']);
    clock.dispose();
  });

  it('fires timers due in the past without skipping', async () => {
    const clock = createTimeSkippingClock();
    const fired = new Promise<number>((resolve) => clock.schedule(clock.now() - 1, () => { resolve(clock.now()); }));
    await expect(fired).resolves.toBeGreaterThan(0);
    clock.dispose();
  });
});

describe('real clock', () => {
  it('never skips and fires a due timer by itself', async () => {
    const clock = createRealClock();
    expect(clock.timeSkipping).toBe(false);
    clock.schedule(clock.now() + HOUR, () => undefined);
    expect(clock.skipToNextTimer()).toBe(false);
    const fired = new Promise<void>((resolve) => clock.schedule(clock.now(), resolve));
    await fired;
    clock.dispose();
    expect(clock.nextDueTime()).toBeUndefined();
  });
});
