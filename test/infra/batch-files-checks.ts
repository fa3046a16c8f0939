/**
 * Checks that the batch files pipeline in infra/ matches the code: the
 * container the trigger watches is created, the Event Grid system topic is
 * provisioned, and the subscription (deployed by the postdeploy hooks, after
 * the code) names the trigger function and container, filters BlobCreated
 * events of `.jsonl` blobs and takes the webhook key as a secure parameter.
 * Text checks, as the rest of test/infra: no Bicep compiler runs here.
 */
import { stripComments } from './bicep-source';

export interface BatchFilesRule {
  container: string;
  functionName: string;
}

/** The texts the checks read, keyed by repository path. */
export type BatchFilesSources = Readonly<Record<string, string>>;

export const BATCH_FILES_PATHS = {
  main: 'infra/main.bicep',
  topic: 'infra/app/blob-events-topic.bicep',
  subscription: 'infra/app/blob-events-subscription.bicep',
  hookSh: 'infra/hooks/subscribe-batch-files.sh',
  hookPs1: 'infra/hooks/subscribe-batch-files.ps1',
  azureYaml: 'azure.yaml',
} as const;

export function batchFilesProblems(sources: BatchFilesSources, rule: BatchFilesRule): string[] {
  const text = (path: string): string => stripComments(sources[path] ?? '');
  const problems: string[] = [];
  const main = text(BATCH_FILES_PATHS.main);
  const container = /^var\s+batchFilesContainerName\s*=\s*'([^']*)'/m.exec(main)?.[1];
  if (container !== rule.container) problems.push(`batchFilesContainerName is ${String(container)}, not ${rule.container}`);
  if (!/\{\s*name:\s*batchFilesContainerName\s*\}/.test(main)) problems.push('no blob container is created from batchFilesContainerName');
  if (!/module\s+\w+\s+'\.\/app\/blob-events-topic\.bicep'/.test(main)) problems.push('main.bicep does not provision the Event Grid system topic');
  if (!/^output\s+BATCH_FILES_SYSTEM_TOPIC_NAME\s+string\s*=/m.test(main)) problems.push('main.bicep does not output BATCH_FILES_SYSTEM_TOPIC_NAME for the hooks');

  const topic = text(BATCH_FILES_PATHS.topic);
  if (!/topicType:\s*'Microsoft\.Storage\.StorageAccounts'/.test(topic)) problems.push('the system topic is not a storage account topic');

  const subscription = text(BATCH_FILES_PATHS.subscription);
  if (!/'Microsoft\.Storage\.BlobCreated'/.test(subscription)) problems.push('the subscription does not include BlobCreated events');
  if (!/subjectEndsWith:\s*'\.jsonl'/.test(subscription)) problems.push('the subscription does not filter .jsonl blobs');
  if (!subscription.includes("subjectBeginsWith: '/blobServices/default/containers/${containerName}/blobs/'")) problems.push('the subscription does not filter the container');
  if (!subscription.includes('/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}')) {
    problems.push("the subscription does not call the blob extension's webhook for the function");
  }
  if (!/@secure\(\)[^]*?param\s+blobsExtensionKey\s+string/.test(subscription)) problems.push('blobsExtensionKey is not @secure()');

  for (const hook of [BATCH_FILES_PATHS.hookSh, BATCH_FILES_PATHS.hookPs1]) {
    const script = sources[hook] ?? '';
    if (!script.includes(`functionName=${rule.functionName}`)) problems.push(`${hook} does not subscribe function ${rule.functionName}`);
    if (!script.includes(`containerName=${rule.container}`)) problems.push(`${hook} does not subscribe container ${rule.container}`);
    if (!script.includes(BATCH_FILES_PATHS.subscription)) problems.push(`${hook} does not deploy ${BATCH_FILES_PATHS.subscription}`);
  }
  const yaml = sources[BATCH_FILES_PATHS.azureYaml] ?? '';
  const postdeploy = /^ {6}postdeploy:\n((?: {8}.*\n?)*)/m.exec(yaml)?.[1] ?? '';
  if (!postdeploy.includes(`run: ./${BATCH_FILES_PATHS.hookSh}`) || !postdeploy.includes(`run: ./${BATCH_FILES_PATHS.hookPs1}`)) {
    problems.push('azure.yaml does not run the subscription hooks after deploy');
  }
  return problems;
}
