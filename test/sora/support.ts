/** Small helpers the Sora client tests share. */
import { SoraError, type SoraContent } from '../../src/sora';

/** The SoraError a call failed with; fails the test if it succeeded or failed otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<SoraError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SoraError)) throw new Error(`expected a SoraError, got ${String(error)}`);
  return error;
}

export async function bytesOf(content: SoraContent): Promise<Buffer> {
  return Buffer.concat((await content.body.toArray()) as Buffer[]);
}
