/**
 * Typed fake activities for running the real videoGeneration orchestrator on
 * the local host. A test scripts every activity for one request before it
 * starts the instance; the fake app (./index.ts) answers each activity call
 * from the script of the request that call belongs to, and records the call.
 *
 * Typed by the app's own activity contract (`createActivities`): a fake that
 * takes or returns the wrong shape fails tsc, and a new activity in the app
 * fails tsc here until the fakes know it.
 *
 * The test (run by vitest from source) and the app (loaded by the host from
 * dist/) each get their own copy of this module, so the registry they share
 * lives on globalThis.
 */
import type { ActivityName } from '../../../src/activities';
import type { ActivityInput, ActivityResult } from '../../../src/activities/typed-call';
import type { InputMedia, VideoGenerationInput } from '../../../src/contracts/orchestration';

/**
 * The activities a test scripts: all but notifySlotGranted and
 * cancelVideoRequests, which only raise events through the durable client and
 * run for real in the fake app.
 */
export type FakedActivityName = Exclude<ActivityName, 'notifySlotGranted' | 'cancelVideoRequests'>;

/** One activity's behaviour for one request; `call` counts that activity's calls, from 1 (retries included). */
export type FakeActivity<N extends FakedActivityName> = (input: ActivityInput<N>, call: number) => ActivityResult<N> | Promise<ActivityResult<N>>;

/** A behaviour for every activity of the app. */
export type FakeActivities = { [N in FakedActivityName]: FakeActivity<N> };

/** Every call a request made, per activity, with its input, in order. */
export type ActivityCalls = { [N in FakedActivityName]: ActivityInput<N>[] };

interface Script {
  fakes: FakeActivities;
  calls: ActivityCalls;
}

interface Registry {
  scripts: Map<string, Script>;
  /** What an activity input names (request, Sora job, input blob) → the request it belongs to. */
  owners: Map<string, string>;
}

const requestKey = (requestId: string) => `request:${requestId}`;
const jobKey = (soraJobId: string) => `job:${soraJobId}`;
const blobKey = (input: Pick<InputMedia, 'container' | 'blobName'>) => `blob:${input.container}/${input.blobName}`;

/**
 * How a call is traced to its request: by the request id when the input has
 * one, by a Sora job id the request's own submit or check returned, by an
 * input blob its spec named.
 */
const keyOfCall: { [N in FakedActivityName]: (input: ActivityInput<N>) => string } = {
  submitVideoJob: (input) => requestKey(input.requestId),
  getVideoJob: (input) => jobKey(input.soraJobId),
  cancelVideoJob: (input) => jobKey(input.soraJobId),
  abandonSubmission: (input) => requestKey(input.requestId),
  storeVideo: (input) => requestKey(input.requestId),
  writeManifest: (manifest) => requestKey(manifest.requestId),
  recordVideoRequest: (entry) => requestKey(entry.requestId),
  publishCompletion: (event) => requestKey(event.id),
  startWebhookDelivery: (input) => requestKey(input.requestId),
  deliverWebhook: (input) => requestKey(input.requestId),
  deleteInputs: (inputs) => {
    const first = inputs[0];
    if (first === undefined) throw new Error('deleteInputs was called without inputs');
    return blobKey(first);
  },
};

export const ACTIVITY_NAMES = Object.keys(keyOfCall) as FakedActivityName[];

const REGISTRY_KEY = Symbol.for('sora-orchestrator.test.activity-fakes');

function registry(): Registry {
  const shared = globalThis as { [REGISTRY_KEY]?: Registry };
  shared[REGISTRY_KEY] ??= { scripts: new Map(), owners: new Map() };
  return shared[REGISTRY_KEY];
}

function claim(key: string, requestId: string): void {
  const { owners } = registry();
  const owner = owners.get(key);
  if (owner !== undefined && owner !== requestId) throw new Error(`${key} already belongs to request ${owner}: give each test its own ids`);
  owners.set(key, requestId);
}

/**
 * Scripts the activities of the request `input` describes (its instance id is
 * the request id, as the starter makes it). Returns the calls, filled in as
 * the instance runs.
 */
export function scriptActivities(input: VideoGenerationInput, fakes: FakeActivities): ActivityCalls {
  const { scripts } = registry();
  if (scripts.has(input.requestId)) throw new Error(`Request ${input.requestId} is already scripted: give each test its own id`);
  claim(requestKey(input.requestId), input.requestId);
  for (const media of input.spec.inputs ?? []) claim(blobKey(media), input.requestId);
  const calls = Object.fromEntries(ACTIVITY_NAMES.map((name) => [name, []])) as unknown as ActivityCalls;
  scripts.set(input.requestId, { fakes, calls });
  return calls;
}

/** Answers one activity call from its request's script (what the fake app registers for every activity). */
export async function answerActivity(name: FakedActivityName, input: unknown): Promise<unknown> {
  const { scripts, owners } = registry();
  const key = (keyOfCall[name] as (input: unknown) => string)(input);
  const requestId = owners.get(key);
  const script = requestId === undefined ? undefined : scripts.get(requestId);
  if (requestId === undefined || script === undefined) throw new Error(`No fakes scripted for ${name} of ${key}`);
  const calls = script.calls[name] as unknown[];
  calls.push(input);
  const fake = script.fakes[name] as (input: unknown, call: number) => unknown;
  const result = await fake(input, calls.length);
  const job = soraJobOf(name, result);
  if (job !== undefined) claim(jobKey(job), requestId);
  return result;
}

/** The Sora job a submit or check answered with: later calls name it instead of the request. */
function soraJobOf(name: FakedActivityName, result: unknown): string | undefined {
  if (name === 'submitVideoJob') {
    const outcome = result as ActivityResult<'submitVideoJob'>;
    return outcome.kind === 'accepted' ? outcome.job.id : undefined;
  }
  if (name === 'getVideoJob') {
    const outcome = result as ActivityResult<'getVideoJob'>;
    return outcome.kind === 'status' ? outcome.job.id : undefined;
  }
  return undefined;
}
