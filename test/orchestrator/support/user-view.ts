/**
 * What a client of the API would read about a request: the public status (by
 * the same mapping GET /api/videos/{id} uses), the stage in the custom status
 * and the orchestration's result.
 */
import type { VideoProgress, VideoResult } from '../../../src/contracts/orchestration';
import type { PublicStatus } from '../../../src/contracts/public-status';
import { publicStatusOf } from '../../../src/requests/video-view';
import type { LocalHost } from '../../../src/local/host';

export interface UserView {
  runtimeStatus: string;
  status: PublicStatus;
  progress: VideoProgress;
  result: VideoResult | null;
}

export async function userView(host: LocalHost, id: string): Promise<UserView> {
  const status = await host.client.getStatus(id);
  return {
    runtimeStatus: status.runtimeStatus,
    status: publicStatusOf(status),
    progress: status.customStatus as VideoProgress,
    result: (status.output ?? null) as VideoResult | null,
  };
}
