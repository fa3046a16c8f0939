/**
 * Ids shaped like the service's: `task_` and `gen_` + 26 lowercase Crockford
 * base32 characters (a ULID: time, then randomness, so they sort by creation),
 * `video_` + 32 hex digits.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function ulid(nowMs: number): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i += 1) {
    time = (CROCKFORD[t % 32] ?? '0') + time;
    t = Math.floor(t / 32);
  }
  const random = [...randomBytes(16)].map((b) => CROCKFORD[b % 32] ?? '0').join('');
  return time + random;
}

export const newJobId = (nowMs: number): string => `task_${ulid(nowMs)}`;
export const newGenerationId = (nowMs: number): string => `gen_${ulid(nowMs)}`;
export const newVideoId = (): string => `video_${randomBytes(16).toString('hex')}`;
export const newRequestId = (): string => randomUUID();
