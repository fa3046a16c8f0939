import { Semaphore } from '../../concurrency';
import type { RpcTypedData } from '../core-types';
import type { FunctionCatalog } from '../functions';
import type { Invoker } from '../invoke';
import { activityFailure } from './failure';
import type { FailureFields } from './history';

/** What a TaskCompleted (`Result`, JSON text) or TaskFailed event carries. */
export type ActivityOutcome = { Result: string } | FailureFields;

/**
 * Runs activity functions as the extension does, at most
 * `maxConcurrentActivityFunctions` at once: the input (the JSON text its
 * TaskScheduled event records) goes in as trigger data, the return value
 * comes back as the JSON text of a history event.
 */
export class ActivityRunner {
  readonly #catalog: FunctionCatalog;
  readonly #invoker: Invoker;
  readonly #slots: Semaphore;

  constructor(catalog: FunctionCatalog, invoker: Invoker, maxConcurrentActivityFunctions: number) {
    this.#catalog = catalog;
    this.#invoker = invoker;
    this.#slots = new Semaphore(maxConcurrentActivityFunctions);
  }

  /** Never rejects: whatever goes wrong becomes the activity's failure. */
  async run(name: string, inputJson: string | undefined): Promise<ActivityOutcome> {
    const registration = this.#catalog.activities.get(name.toLowerCase());
    try {
      return await this.#slots.run(async (): Promise<ActivityOutcome> => {
        if (registration === undefined) {
          return activityFailure(name, new Error(`The function '${name}' doesn't exist, is disabled, or is not an activity function.`));
        }
        const outcome = await this.#invoker.invoke(registration, inputJson === undefined ? {} : { json: inputJson });
        if (!outcome.ok) return activityFailure(name, outcome.error);
        return { Result: typedDataToJsonText(outcome.response.returnValue) };
      });
    } catch (error) {
      return activityFailure(name, error);
    }
  }
}

/** A function's return value as the JSON text a history event carries. */
function typedDataToJsonText(data: RpcTypedData | null | undefined): string {
  if (data === null || data === undefined) return 'null';
  if (data.json !== undefined) return data.json;
  if (data.string !== undefined) return JSON.stringify(data.string);
  if (data.int !== undefined) return JSON.stringify(data.int);
  if (data.double !== undefined) return JSON.stringify(data.double);
  if (data.bytes !== undefined) return JSON.stringify(Buffer.from(data.bytes).toString('base64'));
  return 'null';
}
