/**
 * Jobs as the service lists them, each with the request it says it was made
 * from. The normalised SoraJob leaves the prompt and parameters out; finding
 * the job a create made when its answer was lost needs them.
 */
import type { SoraInpaintItem, SoraJob } from './types';

/**
 * What a listed job reports about its request. `null` means "not reported"
 * (the videos API has no variants or inpaint items, and either API may leave
 * a field out) — except `remixOf`, where it means "remixes nothing".
 */
export interface DescribedRequest {
  prompt: string | null;
  width: number | null;
  height: number | null;
  nSeconds: number | null;
  nVariants: number | null;
  inpaintItems: SoraInpaintItem[] | null;
  /** Videos API: the video this one remixes. */
  remixOf: string | null;
}

export interface ListedJob {
  job: SoraJob;
  request: DescribedRequest;
}

export interface ListedJobsPage {
  data: ListedJob[];
  hasMore: boolean;
  lastId: string | null;
}

export interface JobsCreatedSince {
  /** Every listed job created at or after the given time. */
  jobs: ListedJob[];
  /** False when the page limit was reached before the list went back that far: absence proves nothing then. */
  complete: boolean;
}

/** The largest page both APIs accept. */
export const LIST_PAGE_SIZE = 100;
/** Enough for 1 000 jobs in the window; a deployment runs two at a time, so far more than a real window holds. */
export const MAX_LIST_PAGES = 10;

/**
 * Pages through a newest-first list until it reaches jobs created before
 * `sinceSeconds` (unix seconds), or its end.
 */
export async function collectCreatedSince(fetchPage: (after: string | undefined) => Promise<ListedJobsPage>, sinceSeconds: number): Promise<JobsCreatedSince> {
  const jobs: ListedJob[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < MAX_LIST_PAGES; pages++) {
    const page = await fetchPage(after);
    jobs.push(...page.data.filter((listed) => listed.job.createdAt >= sinceSeconds));
    const oldest = page.data.at(-1);
    if (!page.hasMore || page.lastId === null || oldest === undefined || oldest.job.createdAt < sinceSeconds) return { jobs, complete: true };
    after = page.lastId;
  }
  return { jobs, complete: false };
}
