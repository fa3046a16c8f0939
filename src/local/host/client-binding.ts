/** Path of the public "Durable Functions HTTP API". */
export const WEBHOOK_PREFIX = '/runtime/webhooks/durabletask';
/** Path of the API the durable client calls through `rpcBaseUrl`. */
export const RPC_PREFIX = '/durabletask';

const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';

export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

/** The `durableClient` input binding's data, as the extension hands it to the worker. */
export interface DurableClientData {
  taskHubName: string;
  creationUrls: { createNewInstancePostUri: string; createAndWaitOnNewInstancePostUri: string };
  managementUrls: ManagementUrls;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
}

/**
 * URLs in production's shape (instance id placeholder, `{eventName}`,
 * `{text}`), pointing at this host. The `code` key is left out: the local
 * host, like `func start`, does not enforce function keys.
 */
export function durableClientData(origin: string, taskHubName: string): DurableClientData {
  const webhooks = `${origin}${WEBHOOK_PREFIX}`;
  const query = `taskHub=${encodeURIComponent(taskHubName)}&connection=Storage`;
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: managementUrls(origin, taskHubName, INSTANCE_ID_PLACEHOLDER),
    baseUrl: webhooks,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${origin}${RPC_PREFIX}/`,
  };
}

/** The management URLs of one instance (`id` is the instance id itself when not the placeholder). */
export function managementUrls(origin: string, taskHubName: string, instanceId: string): ManagementUrls {
  const query = `taskHub=${encodeURIComponent(taskHubName)}&connection=Storage`;
  const instance = `${origin}${WEBHOOK_PREFIX}/instances/${instanceId === INSTANCE_ID_PLACEHOLDER ? instanceId : encodeURIComponent(instanceId)}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}
