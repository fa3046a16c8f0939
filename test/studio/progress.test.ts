// What the studio's cards say about a running request: the progress bar's
// share, the elapsed time and when the short-lived links are read again.
import { describe, expect, it } from 'vitest';
import type { VideoView } from '../../web/api-types';
import { byteSize, elapsed, progressFraction } from '../../web/progress';
import { linkExpiry, refreshDelay } from '../../web/read-links';

const at = (iso: string) => Date.parse(iso);

function view(status: string, progress: Partial<NonNullable<VideoView['progress']>> | null): VideoView {
  return {
    id: 'r1',
    status,
    prompt: 'A boat',
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:01:30.000Z',
    api: 'jobs',
    size: '480x480',
    n_seconds: 5,
    n_variants: 2,
    remixOf: null,
    videos: [],
    progress:
      progress === null
        ? null
        : { progress: null, submittedAt: null, expectedDoneAt: null, variantsStored: 0, queuePosition: null, submit: { calls: 1, waiting: null, code: null }, ...progress },
  };
}

describe('the progress bar', () => {
  it("follows Sora's own percentage when it reports one", () => {
    expect(progressFraction(view('running', { progress: 40 }), at('2026-12-02T10:00:10Z'))).toBe(0.4);
  });

  it('estimates from the submission and the expected end otherwise, short of full until done', () => {
    const running = view('running', { submittedAt: '2026-12-02T10:00:00Z', expectedDoneAt: '2026-12-02T10:01:40Z' });
    expect(progressFraction(running, at('2026-12-02T10:00:25Z'))).toBe(0.25);
    expect(progressFraction(running, at('2026-12-02T10:05:00Z'))).toBe(0.99);
  });

  it('counts the variants saved while storing, and says nothing before there is anything to go by', () => {
    expect(progressFraction(view('storing', { variantsStored: 1 }), at('2026-12-02T10:00:00Z'))).toBe(0.5);
    expect(progressFraction(view('waiting', { queuePosition: 3 }), at('2026-12-02T10:00:00Z'))).toBeNull();
    expect(progressFraction(view('pending', null), at('2026-12-02T10:00:00Z'))).toBeNull();
  });
});

describe('the elapsed time', () => {
  it('runs from creation to now while running, and to the last update once finished', () => {
    expect(elapsed(view('running', null), false, at('2026-12-02T10:02:05Z'))).toBe('2:05');
    expect(elapsed(view('succeeded', null), true, at('2026-12-02T12:00:00Z'))).toBe('1:30');
    expect(elapsed(view('running', null), false, at('2026-12-02T11:00:09Z'))).toBe('1:00:09');
  });
});

describe('the read links', () => {
  const link = (expiry: string) => `https://account.blob.core.windows.net/videos/r1/0.mp4?sv=2026-04-06&se=${encodeURIComponent(expiry)}&sr=b&sp=r&sig=abc`;

  it('expire when their SAS says', () => {
    expect(linkExpiry(link('2026-12-02T11:00:00Z'))).toBe(at('2026-12-02T11:00:00Z'));
    expect(linkExpiry('https://example.com/video.mp4')).toBeUndefined();
  });

  it('are read again a minute before the first of them expires, never sooner than in 5 s', () => {
    const links = [link('2026-12-02T11:00:00Z'), link('2026-12-02T10:30:00Z')];
    expect(refreshDelay(links, at('2026-12-02T10:00:00Z'))).toBe(29 * 60_000);
    expect(refreshDelay(links, at('2026-12-02T10:29:30Z'))).toBe(5_000);
    expect(refreshDelay(['https://example.com/video.mp4'], at('2026-12-02T10:00:00Z'))).toBeUndefined();
  });
});

describe('sizes', () => {
  it('read in the units the upload limits are set in', () => {
    expect([byteSize(300), byteSize(618_220), byteSize(25 * 1024 * 1024), byteSize(4.2 * 1024 * 1024)]).toEqual(['1 KiB', '604 KiB', '25 MiB', '4.2 MiB']);
  });
});
