import { describe, expect, it } from 'vitest';
import { estimatedStartMs } from '../../src/orchestrations/start-estimate';

const JOB = 10_000;

describe('estimated start of a queued request', () => {
  it('is the end of the earliest holder’s expected job for the first in line', () => {
    // Two slots, held since 0 s and 4 s; at 6 s the first frees at 10 s.
    expect(estimatedStartMs({ position: 1, capacity: 2, holdersSince: [0, 4_000] }, 6_000, JOB)).toBe(10_000);
    expect(estimatedStartMs({ position: 2, capacity: 2, holdersSince: [0, 4_000] }, 6_000, JOB)).toBe(14_000);
  });

  it('counts one expected job per waiter ahead on the slot that frees first', () => {
    // Third in line: the first two take the slots at 10 s and 14 s; the third gets the first one back at 20 s.
    expect(estimatedStartMs({ position: 3, capacity: 2, holdersSince: [0, 4_000] }, 6_000, JOB)).toBe(20_000);
    expect(estimatedStartMs({ position: 5, capacity: 2, holdersSince: [0, 4_000] }, 6_000, JOB)).toBe(30_000);
  });

  it('expects an overdue holder to give its slot back now', () => {
    expect(estimatedStartMs({ position: 1, capacity: 2, holdersSince: [0, 4_000] }, 12_000, JOB)).toBe(12_000);
    expect(estimatedStartMs({ position: 2, capacity: 2, holdersSince: [0, 4_000] }, 12_000, JOB)).toBe(14_000);
  });

  it('waits for enough holders to end when there are more of them than slots', () => {
    // Capacity lowered to 1 under three holders: a slot is free only after all three ended.
    expect(estimatedStartMs({ position: 1, capacity: 1, holdersSince: [0, 2_000, 3_000] }, 5_000, JOB)).toBe(13_000);
  });
});
