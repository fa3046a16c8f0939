/** The orchestration a call answers to: its response is raised there as an event named by the request id. */
export interface EntityCaller {
  instanceId: string;
  executionId: string;
}

/** One operation waiting in an entity's queue. */
export interface EntityOperation {
  /** The request id: names the response event of a call, and lets the entity drop a message delivered twice. */
  id: string;
  name: string;
  /** JSON text of the input, if any. */
  inputJson: string | undefined;
  /** Set for a call (a signal has nobody to answer). */
  caller: EntityCaller | undefined;
}

/** What a call's caller gets back: the SDK's ResponseMessage (`result` JSON text, `exceptionType` when it failed). */
export interface EntityResponse {
  result: string;
  exceptionType?: string;
}

/** A signal an operation sent to another entity, delivered once the sender's batch is saved. */
export interface OutgoingSignal {
  schedulerId: string;
  operation: EntityOperation;
}
