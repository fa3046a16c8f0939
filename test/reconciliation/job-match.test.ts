/**
 * The pure rules of reconciliation: which failed creates may have made a
 * job, which listed jobs may be that job, and how far back the list is read.
 */
import { describe, expect, it } from 'vitest';
import { classifyCreateFailure } from '../../src/sora/create-failure';
import { SoraError } from '../../src/sora/errors';
import { adoptionCandidates, describesRequest, type RequestedVideo } from '../../src/sora/job-match';
import { describeJobsJob, jobsJobSchema } from '../../src/sora/jobs-wire';
import { collectCreatedSince, MAX_LIST_PAGES, type DescribedRequest, type ListedJob, type ListedJobsPage } from '../../src/sora/listed-jobs';
import type { SoraJobStatus } from '../../src/sora/types';
import { describeVideo, videosVideoSchema } from '../../src/sora/videos-wire';

const requested: RequestedVideo = { prompt: 'A red kite', width: 480, height: 854, nSeconds: 5, nVariants: 2 };

const described = (overrides: Partial<DescribedRequest> = {}): DescribedRequest => ({
  prompt: 'A red kite',
  width: 480,
  height: 854,
  nSeconds: 5,
  nVariants: 2,
  inpaintItems: null,
  remixOf: null,
  ...overrides,
});

const listed = (id: string, createdAt: number, request = described(), status: SoraJobStatus = 'running'): ListedJob => ({
  job: { id, status, progress: null, createdAt, finishedAt: null, expiresAt: null, generations: [], failureReason: null, failureMessage: null },
  request,
});

describe('describesRequest', () => {
  it('matches the same prompt and parameters', () => {
    expect(describesRequest(described(), requested)).toBe(true);
  });

  it.each([
    ['prompt', { prompt: 'A blue kite' }],
    ['width', { width: 854 }],
    ['height', { height: 480 }],
    ['length', { nSeconds: 10 }],
    ['variants', { nVariants: 1 }],
    ['a remix source', { remixOf: 'video_1' }],
  ] as const)('does not match another %s', (_field, change) => {
    expect(describesRequest(described(change), requested)).toBe(false);
  });

  it('compares prompts as the client sends them, trimmed', () => {
    expect(describesRequest(described({ prompt: 'A red kite' }), { ...requested, prompt: '  A red kite \n' })).toBe(true);
  });

  it('cannot recognise a job that does not report its prompt', () => {
    expect(describesRequest(described({ prompt: null }), requested)).toBe(false);
  });

  it('lets fields the service leaves out neither match nor rule out', () => {
    expect(describesRequest(described({ width: null, height: null, nSeconds: null, nVariants: null }), requested)).toBe(true);
  });

  it('compares inpaint items when reported, crop bounds left out meaning the whole frame', () => {
    const item = { type: 'image' as const, fileName: 'cat.jpg', frameIndex: 0 };
    const withMedia = { ...requested, inpaintItems: [item] };
    const whole = { left_fraction: 0, top_fraction: 0, right_fraction: 1, bottom_fraction: 1 };
    expect(describesRequest(described({ inpaintItems: [{ ...item, cropBounds: whole }] }), withMedia)).toBe(true);
    expect(describesRequest(described({ inpaintItems: [{ ...item, frameIndex: 12 }] }), withMedia)).toBe(false);
    expect(describesRequest(described({ inpaintItems: [] }), withMedia)).toBe(false);
    expect(describesRequest(described({ inpaintItems: null }), withMedia)).toBe(true);
  });

  it('matches a remix only by its source', () => {
    const remix = { ...requested, remixOf: 'video_1' };
    expect(describesRequest(described({ remixOf: 'video_1' }), remix)).toBe(true);
    expect(describesRequest(described({ remixOf: 'video_2' }), remix)).toBe(false);
    expect(describesRequest(described(), remix)).toBe(false);
  });
});

describe('adoptionCandidates', () => {
  it('keeps matching jobs created since the search start, oldest first, never a cancelled one', () => {
    const jobs = [
      listed('task_newest', 1_000_030),
      listed('task_other_prompt', 1_000_020, described({ prompt: 'A green kite' })),
      listed('task_cancelled', 1_000_015, described(), 'cancelled'),
      listed('task_oldest', 1_000_010, described(), 'succeeded'),
      listed('task_before', 999_999),
    ];
    expect(adoptionCandidates(jobs, requested, 1_000_000).map((j) => j.id)).toEqual(['task_oldest', 'task_newest']);
  });
});

describe('collectCreatedSince', () => {
  const pages = (all: ListedJob[], size: number) => {
    const asked: (string | undefined)[] = [];
    const fetchPage = (after: string | undefined): Promise<ListedJobsPage> => {
      asked.push(after);
      const start = after === undefined ? 0 : all.findIndex((l) => l.job.id === after) + 1;
      const data = all.slice(start, start + size);
      return Promise.resolve({ data, hasMore: start + size < all.length, lastId: data.at(-1)?.job.id ?? null });
    };
    return { fetchPage, asked };
  };

  it('reads newest-first pages until they reach older jobs, and no further', async () => {
    const all = [50, 40, 30, 20, 10, 5].map((t) => listed(`task_${t}`, t));
    const { fetchPage, asked } = pages(all, 2);
    const found = await collectCreatedSince(fetchPage, 25);
    expect(found.complete).toBe(true);
    expect(found.jobs.map((l) => l.job.id)).toEqual(['task_50', 'task_40', 'task_30']);
    expect(asked).toEqual([undefined, 'task_40']);
  });

  it('says the search is incomplete when the window holds more pages than it reads', async () => {
    const all = Array.from({ length: MAX_LIST_PAGES + 1 }, (_, i) => listed(`task_${i}`, 1000 - i));
    const found = await collectCreatedSince(pages(all, 1).fetchPage, 0);
    expect(found.complete).toBe(false);
    expect(found.jobs).toHaveLength(MAX_LIST_PAGES);
  });
});

describe('classifyCreateFailure', () => {
  const error = (status: number | undefined) =>
    new SoraError({ status, code: 'x', serviceMessage: 'm', param: null, requestId: null, region: null, retryAfterMs: null, retryable: false });

  it.each([
    [429, 'throttled'],
    [400, 'refused'],
    [404, 'refused'],
    [408, 'ambiguous'],
    [500, 'ambiguous'],
    [503, 'ambiguous'],
    [200, 'ambiguous'],
    [undefined, 'ambiguous'],
  ] as const)('a create that failed with %s is %s', (status, verdict) => {
    expect(classifyCreateFailure(error(status))).toBe(verdict);
  });

  it('a timeout or a dead connection may have made the job', () => {
    expect(classifyCreateFailure(SoraError.noAnswer('timeout', 'no answer within 30000 ms'))).toBe('ambiguous');
    expect(classifyCreateFailure(SoraError.noAnswer('network_error', 'other side closed'))).toBe('ambiguous');
  });

  it('a request our own rules refused never left', () => {
    expect(classifyCreateFailure(SoraError.fromViolations([{ field: 'width', message: 'bad' }]))).toBe('refused');
  });
});

describe('what listed jobs describe', () => {
  it('jobs API: size, length, variants and echoed inpaint items', () => {
    const job = jobsJobSchema.parse({
      id: 'task_1',
      status: 'queued',
      created_at: 1,
      prompt: 'p',
      width: 480,
      height: 480,
      n_seconds: 5,
      n_variants: 2,
      inpaint_items: [{ frame_index: 3, type: 'image', file_name: 'a.png' }],
    });
    expect(describeJobsJob(job)).toEqual({
      prompt: 'p',
      width: 480,
      height: 480,
      nSeconds: 5,
      nVariants: 2,
      inpaintItems: [{ type: 'image', fileName: 'a.png', frameIndex: 3 }],
      remixOf: null,
    });
  });

  it('jobs API: an echo that cannot be read reports no items rather than failing the job', () => {
    const job = jobsJobSchema.parse({ id: 'task_1', status: 'queued', created_at: 1, prompt: 'p', inpaint_items: 'not a list' });
    expect(describeJobsJob(job).inpaintItems).toBeNull();
  });

  it('videos API: size and seconds as numbers, the remix source', () => {
    const video = videosVideoSchema.parse({ id: 'video_2', status: 'queued', created_at: 1, prompt: 'p', size: '1280x720', seconds: '8', remixed_from_video_id: 'video_1' });
    expect(describeVideo(video)).toEqual({ prompt: 'p', width: 1280, height: 720, nSeconds: 8, nVariants: null, inpaintItems: null, remixOf: 'video_1' });
  });
});
