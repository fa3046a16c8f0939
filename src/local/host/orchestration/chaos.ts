/** An activity result the host is about to deliver. */
export interface ActivityResultInfo {
  instanceId: string;
  /** The SDK's task id of the call. */
  taskId: number;
  name: string;
  /** 1 for the first run of this call, 2 after its first result was lost, … */
  run: number;
}

/**
 * Failures a test can make the host suffer, to prove the app copes with
 * what Azure does to it now and then.
 */
export interface HostChaos {
  /**
   * Lose activity results as if the worker died after the activity ran but
   * before its result was recorded; the host runs the activity again, as
   * Azure re-delivers the activity message (at-least-once). A number loses
   * the first n results; a predicate decides for each result.
   */
  loseActivityResults?: number | ((result: ActivityResultInfo) => boolean);
  /**
   * Refuse starts of the instances it names with a 503, as a task hub whose
   * storage is unavailable would: the durable client's startNew throws.
   */
  refuseStarts?: (instanceId: string) => boolean;
}

/** Decides, result by result, whether chaos loses it. */
export class ResultLoss {
  readonly #rule: HostChaos['loseActivityResults'];
  #lost = 0;

  constructor(chaos: HostChaos = {}) {
    this.#rule = chaos.loseActivityResults;
  }

  loses(result: ActivityResultInfo): boolean {
    const rule = this.#rule;
    const lose = typeof rule === 'function' ? rule(result) : rule !== undefined && this.#lost < rule;
    if (lose) this.#lost++;
    return lose;
  }
}
