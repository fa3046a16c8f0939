/**
 * Blob triggers as the local host serves them: only the Event Grid source
 * (`source: 'EventGrid'`, what Flex Consumption supports), whose events
 * blob-events.ts stands in for. A trigger's `path` is `container/pattern`,
 * where `{name}`-style placeholders become the invocation's binding data, and
 * `%Setting%` parts are read from the app settings, as the Functions host does.
 */
import type { Registration, RpcBindingInfo, RpcTypedData } from './core-types';

export interface BlobTriggerFunction {
  registration: Registration;
  name: string;
  container: string;
  /** The blob name part of the path, placeholders included (`{name}`, `in/{name}.jsonl`). */
  pattern: string;
  /** The app setting naming the storage account (a connection string locally); '' = AzureWebJobsStorage. */
  connection: string;
}

/** The blob trigger of a registration, or why the host cannot serve it. */
export function describeBlobTrigger(registration: Registration, trigger: RpcBindingInfo): BlobTriggerFunction | string {
  const name = registration.metadata.name;
  if (trigger.source !== 'EventGrid') {
    return `Function '${name}' (blobTrigger) polls its container (no source: 'EventGrid'); the local host serves Event Grid blob triggers only (source: 'EventGrid', as Flex Consumption requires).`;
  }
  const path = resolveSettings(typeof trigger.path === 'string' ? trigger.path : '');
  const slash = path.indexOf('/');
  const container = slash < 0 ? path : path.slice(0, slash);
  if (container === '' || container.includes('{')) return `Function '${name}' (blobTrigger) has no fixed container in its path '${path}'.`;
  const pattern = slash < 0 ? '{name}' : path.slice(slash + 1);
  return { registration, name, container, pattern, connection: typeof trigger.connection === 'string' ? trigger.connection : '' };
}

/** The literal start of the pattern: the prefix to list the container by. */
export function listingPrefix(fn: BlobTriggerFunction): string {
  const brace = fn.pattern.indexOf('{');
  return brace < 0 ? fn.pattern : fn.pattern.slice(0, brace);
}

/** The placeholders' values for a blob name, or undefined when the name does not fit the pattern. */
export function bindingDataOf(fn: BlobTriggerFunction, blobName: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = fn.pattern
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const placeholder = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (placeholder === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(placeholder);
      return '(.+)';
    })
    .join('');
  const match = new RegExp(`^${source}$`).exec(blobName);
  if (!match) return undefined;
  return Object.fromEntries(names.map((placeholder, i) => [placeholder, match[i + 1] ?? '']));
}

/** What a blob-triggered invocation gets besides the content: the path, the blob's URI and properties, its metadata, the binding data. */
export function blobTriggerMetadata(
  fn: BlobTriggerFunction,
  blob: { name: string; url: string; properties: Record<string, unknown>; metadata: Record<string, string> },
  bindingData: Record<string, string>,
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {
    BlobTrigger: { string: `${fn.container}/${blob.name}` },
    Uri: { string: blob.url },
    Properties: { json: JSON.stringify(blob.properties) },
    Metadata: { json: JSON.stringify(blob.metadata) },
  };
  for (const [key, value] of Object.entries(bindingData)) metadata[key] = { string: value };
  return metadata;
}

function resolveSettings(path: string): string {
  return path.replace(/%([^%]+)%/g, (_, setting: string) => process.env[setting] ?? '');
}
