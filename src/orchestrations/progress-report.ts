/**
 * The orchestration's custom status: the stage and a few numbers a client can
 * show while waiting. Kept small (the task hub caps it at 16 KB) and free of
 * secrets.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { VideoProgress } from '../contracts/orchestration';

export class ProgressReport {
  private state: VideoProgress = {
    stage: 'pending',
    soraJobId: null,
    soraStatus: null,
    progress: null,
    checks: 0,
    submittedAt: null,
    expectedDoneAt: null,
    expectedDuration: null,
    lastCheckAt: null,
    nextCheckAt: null,
    variantsStored: 0,
    queuePosition: null,
    estimatedStartAt: null,
    submit: { calls: 0, waiting: null, code: null },
  };

  constructor(private readonly context: OrchestrationContext) {}

  update(change: Partial<VideoProgress>): void {
    this.state = { ...this.state, ...change };
    this.publish();
  }

  publish(): void {
    this.context.df.setCustomStatus(this.state);
  }
}
