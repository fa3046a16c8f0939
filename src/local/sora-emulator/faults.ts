/**
 * Fault injection: tests (from code) and people (over the admin route) make
 * the emulator misbehave the way the real service sometimes does. One zod
 * schema defines both the TypeScript type and what the admin route accepts.
 */
import { z } from 'zod';

export const SORA_OPERATIONS = [
  'createJob',
  'getJob',
  'deleteJob',
  'listJobs',
  'content',
  'thumbnail',
  'createVideo',
  'getVideo',
  'listVideos',
  'deleteVideo',
  'videoContent',
  'remix',
] as const;
export type SoraOperation = (typeof SORA_OPERATIONS)[number];

/** The operations that create a job: the ones whose answer can be lost after the job exists. */
export const CREATE_OPERATIONS = ['createJob', 'createVideo', 'remix'] as const satisfies readonly SoraOperation[];
export type CreateOperation = (typeof CREATE_OPERATIONS)[number];

const operation = z.enum(SORA_OPERATIONS);
/** Omitted `times` means "every matching call until the faults are cleared". */
const times = z.int().positive().optional();

export const soraFaultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    operation,
    status: z.union([z.literal(429), z.literal(500), z.literal(503)]),
    times: z.int().positive(),
    retryAfterSeconds: z.number().nonnegative().optional(),
  }),
  z.object({ kind: z.literal('reset'), operation: z.enum(['content', 'videoContent']), afterBytes: z.int().nonnegative(), times }),
  z.object({ kind: z.literal('slow'), operation, delayMs: z.int().nonnegative(), times }),
  // The create is accepted (the job exists and runs) but the connection dies before the answer is sent.
  z.object({ kind: z.literal('acceptedThenReset'), operation: z.enum(CREATE_OPERATIONS), times }),
  z.object({ kind: z.literal('neverFinish'), times }),
  z.object({ kind: z.literal('contentNotFound'), forSeconds: z.number().positive() }),
  z.object({ kind: z.literal('contentSize'), bytes: z.int().nonnegative() }),
]);
export type SoraFault = z.output<typeof soraFaultSchema>;

type FaultOf<K extends SoraFault['kind']> = Extract<SoraFault, { kind: K }>;

interface ActiveFault {
  fault: SoraFault;
  /** Uses left; Infinity when the fault has no `times`. */
  remaining: number;
}

export class SoraFaults {
  private active: ActiveFault[] = [];

  add(fault: SoraFault): void {
    const parsed = soraFaultSchema.parse(fault);
    const remaining = 'times' in parsed && parsed.times !== undefined ? parsed.times : Infinity;
    this.active.push({ fault: parsed, remaining });
  }

  clear(): void {
    this.active = [];
  }

  list(): SoraFault[] {
    return this.active.map((a) => a.fault);
  }

  /** Takes one use of the first matching status fault for this operation. */
  takeStatus(op: SoraOperation): FaultOf<'status'> | undefined {
    return this.take('status', (f) => f.operation === op);
  }

  takeReset(op: SoraOperation): FaultOf<'reset'> | undefined {
    return this.take('reset', (f) => f.operation === op);
  }

  takeSlow(op: SoraOperation): FaultOf<'slow'> | undefined {
    return this.take('slow', (f) => f.operation === op);
  }

  takeAcceptedThenReset(op: CreateOperation): boolean {
    return this.take('acceptedThenReset', (f) => f.operation === op) !== undefined;
  }

  takeNeverFinish(): boolean {
    return this.take('neverFinish', () => true) !== undefined;
  }

  /** Settings (no `times`): the latest one added wins. */
  contentNotFoundSeconds(): number | undefined {
    return this.latest('contentNotFound')?.forSeconds;
  }

  contentSize(): number | undefined {
    return this.latest('contentSize')?.bytes;
  }

  private take<K extends SoraFault['kind']>(kind: K, matches: (f: FaultOf<K>) => boolean): FaultOf<K> | undefined {
    const found = this.active.find((a): a is ActiveFault & { fault: FaultOf<K> } => a.fault.kind === kind && matches(a.fault as FaultOf<K>));
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.active = this.active.filter((a) => a !== found);
    return found.fault;
  }

  private latest<K extends SoraFault['kind']>(kind: K): FaultOf<K> | undefined {
    const found = this.active.filter((a) => a.fault.kind === kind).at(-1);
    return found?.fault as FaultOf<K> | undefined;
  }
}
