/** Why the engine refused an instance command; the durable HTTP API turns each into its status code. */
export type InstanceErrorKind =
  /** No orchestrator function by that name. */
  | 'unknownOrchestrator'
  /** An instance with that id exists and has not finished. */
  | 'alreadyRunning'
  | 'notFound'
  /** The instance has finished: it accepts no more events or operations. */
  | 'finished';

export class InstanceError extends Error {
  constructor(
    readonly kind: InstanceErrorKind,
    message: string,
  ) {
    super(message);
  }
}
