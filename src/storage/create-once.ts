/**
 * Creates a storage resource (container, queue, table) at most once per
 * process: infra creates them in Azure, Azurite starts empty. Callers that
 * arrive while it is being created share that attempt; a failed attempt is
 * forgotten so the next call tries again.
 */
const attempts = new Map<string, Promise<unknown>>();

export function createOnce(key: string, create: () => Promise<unknown>): Promise<unknown> {
  let attempt = attempts.get(key);
  if (!attempt) {
    attempt = create().catch((error: unknown) => {
      attempts.delete(key);
      throw error;
    });
    attempts.set(key, attempt);
  }
  return attempt;
}
