/** Where ffmpeg cannot run, the emulator's start-up check says so instead of failing later. */
import { describe, expect, it } from 'vitest';
import { Ffmpeg } from '../../src/local/sora-emulator/ffmpeg';

describe('the ffmpeg start-up check', () => {
  it('reports the version of the bundled binary', async () => {
    const check = await new Ffmpeg().check();
    expect(check).toMatchObject({ ok: true });
    expect(check.ok && check.version).toMatch(/^ffmpeg version/);
  });

  it('explains why a binary that cannot start is unusable', async () => {
    const check = await new Ffmpeg('/nonexistent/ffmpeg').check();
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(/ENOENT|not found|no such file/i);
  });
});
