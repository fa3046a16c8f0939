import { describeBlobTrigger, type BlobTriggerFunction } from './blob-trigger';
import type { Registration, RpcBindingInfo } from './core-types';

/** What the host lists for each registered function. */
export interface FunctionListing {
  name: string;
  trigger: string;
  route?: string;
  methods?: string[];
}

export interface HttpFunction {
  registration: Registration;
  name: string;
  /** The route template as registered, without host.json's routePrefix. */
  route: string;
  /** Upper-case; undefined means every method. */
  methods: string[] | undefined;
}

/** The registrations sorted by what serves them. Durable names are case-insensitive, as in Functions. */
export interface FunctionCatalog {
  http: HttpFunction[];
  orchestrators: Map<string, Registration>;
  activities: Map<string, Registration>;
  entities: Map<string, Registration>;
  /** Event Grid blob triggers, fed by blob-events.ts. */
  blobTriggers: BlobTriggerFunction[];
  /** Storage queue triggers, with their trigger binding (queue name, connection). */
  queues: { registration: Registration; trigger: RpcBindingInfo }[];
  listing: FunctionListing[];
  /** Registrations the host accepts but cannot run (timer triggers, …). */
  unsupported: string[];
}

function triggerBinding(registration: Registration): [string, RpcBindingInfo] {
  const found = Object.entries(registration.metadata.bindings).find(([, binding]) =>
    (binding.type ?? '').toLowerCase().endsWith('trigger'),
  );
  if (found === undefined) throw new Error(`Function '${registration.metadata.name}' has no trigger binding.`);
  return found;
}

export function catalogFunctions(registrations: Registration[]): FunctionCatalog {
  const catalog: FunctionCatalog = {
    http: [],
    orchestrators: new Map(),
    activities: new Map(),
    entities: new Map(),
    blobTriggers: [],
    queues: [],
    listing: [],
    unsupported: [],
  };
  for (const registration of registrations) {
    const name = registration.metadata.name;
    const [, trigger] = triggerBinding(registration);
    const type = trigger.type ?? '';
    switch (type) {
      case 'httpTrigger': {
        const route = typeof trigger.route === 'string' && trigger.route !== '' ? trigger.route : name;
        const methods = Array.isArray(trigger.methods) ? trigger.methods.map((m) => m.toUpperCase()) : undefined;
        catalog.http.push({ registration, name, route, methods });
        catalog.listing.push({ name, trigger: type, route, ...(methods === undefined ? {} : { methods }) });
        continue;
      }
      case 'orchestrationTrigger':
        catalog.orchestrators.set(name.toLowerCase(), registration);
        break;
      case 'activityTrigger':
        catalog.activities.set(name.toLowerCase(), registration);
        break;
      case 'entityTrigger':
        catalog.entities.set(name.toLowerCase(), registration);
        break;
      case 'blobTrigger': {
        const blob = describeBlobTrigger(registration, trigger);
        if (typeof blob === 'string') catalog.unsupported.push(blob);
        else catalog.blobTriggers.push(blob);
        break;
      }
      case 'queueTrigger':
        catalog.queues.push({ registration, trigger });
        break;
      default:
        catalog.unsupported.push(`Function '${name}' (${type}) is registered but not served by the local host yet.`);
    }
    catalog.listing.push({ name, trigger: type });
  }
  return catalog;
}
