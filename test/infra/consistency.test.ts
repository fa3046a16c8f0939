/**
 * infra/ against the code: every setting the app reads in Azure is set by the
 * Bicep and listed in local.settings.json.example, the identity holds every
 * role the code needs and no other, container names match the code's
 * defaults, the host's body cap fits the upload limits, no model or version is
 * chosen for the user, azd deploys what the packager stages, and no key or
 * secret appears. No Bicep compiler runs here, so the checks read the text
 * (see bicep-source.ts); the second half feeds each check an altered copy to
 * show it fails.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKEND_SETTING, DEPLOY_PACKAGE_DIR, HOST_JSON_FOR_BACKEND } from '../../infra/deploy-package/stage';
import { HOST_SETTINGS, loadConfig, SETTINGS } from '../../src/config';
import { MAX_IMAGE_INPUTS, MAX_VIDEO_INPUTS } from '../../src/sora/rules';
import {
  APP_PRINCIPAL,
  appPrincipalBindingProblems,
  azureYamlProblems,
  backendChoiceProblems,
  containerProblems,
  hostReferencesUnset,
  identityConnectionProblems,
  literalSettingsRejected,
  localAuthProblems,
  missingRoleAssignments,
  modelDefaultProblems,
  packagingProblems,
  parameterFileProblems,
  plainSecretParams,
  requestBodyLimitProblems,
  runtimeProblems,
  schedulerHostDrift,
  settingsMissingFromInfra,
  settingsMissingFromLocalExample,
  settingsThatMustStayLocal,
  sharedKeyProblems,
  tableProblems,
  unexpectedRoleAssignments,
  USER_PRINCIPAL,
  vnetDelegationProblems,
} from './infra-checks';
import { PATHS, readInfraSources, withEdit } from './infra-sources';

/**
 * Settings that exist only for a laptop and must NOT be set in Azure:
 * - the API key: the Azure OpenAI account has local auth disabled, so a key
 *   would not work there, and it would be a secret sitting in app settings;
 * - VideoStorage: a connection string (Azurite's); Azure reaches the videos
 *   with VideoStorage__blobServiceUri and the managed identity instead;
 * - the expected job time: shortens polling against the fast local emulator;
 *   in Azure the app uses the service's typical duration;
 * - the OpenAI-compatible endpoint's key: a third party's secret, which
 *   infra/ must never write into app settings;
 * - plain-http and loopback webhook callbacks: for a receiver on the laptop;
 *   in Azure callbacks are https to public addresses only.
 */
const LOCAL_ONLY_SETTINGS: readonly string[] = [SETTINGS.openAiApiKey, SETTINGS.videoStorage, SETTINGS.pollExpectedJobSeconds, SETTINGS.openAiCompatibleApiKey, SETTINGS.webhookAllowLocalHttp];

/**
 * Settings infra/ leaves to the user: the OpenAI-compatible endpoint (the
 * `openai` API) is a third party's, chosen and set on the deployed app by
 * whoever wants it. Its key is a secret and stays out of infra/ (above).
 */
const LEFT_TO_THE_USER: readonly string[] = [SETTINGS.openAiCompatibleBaseUrl, SETTINGS.openAiCompatibleModel];

/**
 * Host settings Azure provides another way:
 * - FUNCTIONS_WORKER_RUNTIME: Flex Consumption rejects it as an app setting and
 *   takes the runtime from functionAppConfig (runtimeName in main.bicep);
 * - AzureWebJobsStorage: a connection by identity, AzureWebJobsStorage__*.
 */
const PROVIDED_OTHERWISE: readonly string[] = [HOST_SETTINGS.runtime, HOST_SETTINGS.hostStorage];

const ALL_SETTINGS: readonly string[] = [...Object.values(SETTINGS), ...Object.values(HOST_SETTINGS)];
const SET_IN_AZURE = ALL_SETTINGS.filter((name) => !LOCAL_ONLY_SETTINGS.includes(name) && !PROVIDED_OTHERWISE.includes(name) && !LEFT_TO_THE_USER.includes(name));

/** Roles the app's identity needs, by role definition GUID (the same in every tenant), and why. */
const APP_ROLES = {
  // Reads and writes videos and inputs, and requests user delegation keys to sign read links.
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  // The Functions host and Durable Functions (Azure Storage backend) use queues and tables.
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  // Telemetry ingestion with Entra ID (local auth is off on Application Insights).
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  // Calls Sora with an Entra token: creates, reads, cancels and deletes video
  // jobs. Microsoft Learn's video generation quickstart prescribes this role;
  // Cognitive Services OpenAI User's data actions name no video action (see
  // infra/app/openai-access.bicep).
  'Cognitive Services User': 'a97b65f3-24c7-4388-baec-2e87135dc908',
  // The Durable Task Scheduler backend, when chosen.
  'Durable Task Data Contributor': '0ad04412-c4d5-4796-b79c-f76d14c8d402',
  // Resolves the WEBHOOK_SECRET Key Vault reference (that one secret only), when a webhook key is given.
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
};

/** The roles a developer needs to run the app locally against the deployed resources. */
const USER_ROLES = {
  'Storage Blob Data Owner': APP_ROLES['Storage Blob Data Owner'],
  'Storage Queue Data Contributor': APP_ROLES['Storage Queue Data Contributor'],
  'Storage Table Data Contributor': APP_ROLES['Storage Table Data Contributor'],
  'Cognitive Services User': APP_ROLES['Cognitive Services User'],
  // Telemetry from a local run to the deployed Application Insights, which accepts Entra tokens only.
  'Monitoring Metrics Publisher': APP_ROLES['Monitoring Metrics Publisher'],
  'Durable Task Data Contributor': APP_ROLES['Durable Task Data Contributor'],
};

/** The least an environment needs for loadConfig to succeed in Azure; the rest comes from infra/. */
const AZURE_ENV = {
  [SETTINGS.openAiEndpoint]: 'https://example.openai.azure.com/',
  [SETTINGS.openAiDeployment]: 'my-video-deployment',
  [SETTINGS.videoStorageBlobServiceUri]: 'https://example.blob.core.windows.net/',
};

/** The role the app used to get, which cannot call the video routes: it must not come back. */
const OPENAI_USER_ROLE = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd';

/**
 * The largest request the starter accepts: at most two images and one video
 * (src/sora/rules.ts), plus what its multipart reader takes besides files (at
 * most 20 fields of 64 KiB, and 30 parts whose headers and boundaries stay
 * under 1 KiB each: src/inputs/receive-multipart.ts).
 */
const BODY_LIMIT_RULE = {
  imageSetting: SETTINGS.inputMaxImageMiB,
  videoSetting: SETTINGS.inputMaxVideoMiB,
  bodyLimitSetting: HOST_SETTINGS.requestBodySizeLimit,
  images: MAX_IMAGE_INPUTS,
  videos: MAX_VIDEO_INPUTS,
  overheadBytes: 20 * 64 * 1024 + 30 * 1024,
};

/** azure.yaml deploys what `npm run package:azure` stages (infra/deploy-package, built by its own tsconfig into dist/). */
const PACKAGING_RULE = { packageDir: DEPLOY_PACKAGE_DIR, script: 'package:azure', packager: 'dist/infra/deploy-package/main.js' };

const CONTAINER_VARIABLES = {
  [SETTINGS.videosContainer]: 'videosContainerName',
  [SETTINGS.inputsContainer]: 'inputsContainerName',
  [SETTINGS.ledgerContainer]: 'ledgerContainerName',
};

function containerDefaults(): Record<string, string> {
  const { storage } = loadConfig(AZURE_ENV);
  return {
    [SETTINGS.videosContainer]: storage.videosContainer,
    [SETTINGS.inputsContainer]: storage.inputsContainer,
    [SETTINGS.ledgerContainer]: storage.ledgerContainer,
  };
}

const sources = readInfraSources(join(import.meta.dirname, '..', '..'));

describe('infra/ agrees with the code', () => {
  it('sets every setting the app reads in Azure', () => {
    expect(settingsMissingFromInfra(sources, SET_IN_AZURE)).toEqual([]);
  });

  it('lists every setting in local.settings.json.example', () => {
    expect(settingsMissingFromLocalExample(sources, ALL_SETTINGS)).toEqual([]);
  });

  it('leaves local-only settings (a key, a connection string, emulator tuning) out of Azure', () => {
    expect(settingsThatMustStayLocal(sources, LOCAL_ONLY_SETTINGS)).toEqual([]);
  });

  it('connects the host and the video storage by identity', () => {
    expect(identityConnectionProblems(sources, HOST_SETTINGS.hostStorage, ['blob', 'queue', 'table'])).toEqual([]);
    // The queue starter and the batch files blob trigger connect through VideoStorage (a blob trigger needs the queue service too); the request index is a table.
    expect(identityConnectionProblems(sources, SETTINGS.videoStorage, ['blob', 'queue', 'table'])).toEqual([]);
  });

  it('deploys the runtime local.settings.json.example names, the Flex Consumption way', () => {
    expect(runtimeProblems(sources, HOST_SETTINGS.runtime)).toEqual([]);
  });

  it('sets what host.json and its Durable Task Scheduler variant refer to', () => {
    expect(hostReferencesUnset(sources)).toEqual([]);
  });

  it('gives settings values the app accepts', () => {
    expect(literalSettingsRejected(sources, SET_IN_AZURE, AZURE_ENV, loadConfig)).toEqual([]);
  });

  it('assigns the app identity every role the code needs, and no other', () => {
    expect(missingRoleAssignments(sources, APP_ROLES, APP_PRINCIPAL)).toEqual([]);
    expect(unexpectedRoleAssignments(sources, APP_ROLES, APP_PRINCIPAL)).toEqual([]);
    expect(appPrincipalBindingProblems(sources)).toEqual([]);
  });

  it('gives the deploying developer the roles for local runs, and no other', () => {
    expect(missingRoleAssignments(sources, USER_ROLES, USER_PRINCIPAL)).toEqual([]);
    expect(unexpectedRoleAssignments(sources, USER_ROLES, USER_PRINCIPAL)).toEqual([]);
  });

  it("leaves the video model to the user: no model or version written, a deployment created only when both are given", () => {
    expect(modelDefaultProblems(sources)).toEqual([]);
  });

  it("raises the host's request body cap to fit the upload limits it is derived from", () => {
    expect(requestBodyLimitProblems(sources, BODY_LIMIT_RULE)).toEqual([]);
  });

  it('delegates the VNet option\'s app subnet the Flex Consumption way', () => {
    expect(vnetDelegationProblems(sources)).toEqual([]);
  });

  it('deploys what the packager stages, built locally, with the hook that stages it', () => {
    expect(packagingProblems(sources, PACKAGING_RULE)).toEqual([]);
  });

  it('lets the packager pick host.json from the backend value the Bicep gets', () => {
    expect(backendChoiceProblems(sources, Object.keys(HOST_JSON_FOR_BACKEND), BACKEND_SETTING)).toEqual([]);
  });

  it("creates the containers under the code's default names", () => {
    expect(containerProblems(sources, CONTAINER_VARIABLES, containerDefaults())).toEqual([]);
  });

  it("creates the request index table under the code's default name", () => {
    expect(tableProblems(sources, SETTINGS.requestsTable, 'requestsTableName', loadConfig(AZURE_ENV).requestIndex.table)).toEqual([]);
  });

  it('has no plain secret parameter, no shared key and no local auth', () => {
    expect(plainSecretParams(sources)).toEqual([]);
    expect(sharedKeyProblems(sources)).toEqual([]);
    expect(localAuthProblems(sources)).toEqual([]);
  });

  it('keeps the scheduler host.json equal to host.json but for the storage provider', () => {
    expect(schedulerHostDrift(sources)).toEqual([]);
  });

  it('supplies main.bicep parameters from main.parameters.json', () => {
    expect(parameterFileProblems(sources)).toEqual([]);
  });

  it('deploys the azure.yaml service to the tagged function app', () => {
    expect(azureYamlProblems(sources)).toEqual([]);
  });
});

describe('each check fails when infra/ breaks', () => {
  it('a setting removed from the Bicep', () => {
    const broken = withEdit(sources, PATHS.main, "SORA_API: soraApi\n", '');
    expect(settingsMissingFromInfra(broken, SET_IN_AZURE)).toEqual(['SORA_API is not set by infra/']);
  });

  it('a setting removed from local.settings.json.example', () => {
    const broken = withEdit(sources, PATHS.localSettings, '"LINK_TTL_MINUTES": "60",', '');
    expect(settingsMissingFromLocalExample(broken, ALL_SETTINGS)).toEqual(['LINK_TTL_MINUTES is missing from local.settings.json.example']);
  });

  it('an API key or a storage connection string set in Azure', () => {
    const broken = withEdit(sources, PATHS.main, "SORA_API: soraApi\n", "SORA_API: soraApi\n    AZURE_OPENAI_API_KEY: 'k'\n    VideoStorage: 'UseDevelopmentStorage=true'\n");
    expect(settingsThatMustStayLocal(broken, LOCAL_ONLY_SETTINGS)).toEqual([
      'AZURE_OPENAI_API_KEY is local-only but infra/ sets it',
      'VideoStorage is local-only but infra/ sets it',
    ]);
    expect(identityConnectionProblems(broken, SETTINGS.videoStorage, ['blob'])).toHaveLength(1);
  });

  it('the host storage missing its queue endpoint', () => {
    const broken = withEdit(sources, 'infra/app/api.bicep', 'AzureWebJobsStorage__queueServiceUri:', 'AzureWebJobsStorage__queueUri:');
    expect(identityConnectionProblems(broken, HOST_SETTINGS.hostStorage, ['blob', 'queue', 'table'])).toEqual([
      'AzureWebJobsStorage__queueServiceUri is not set by infra/',
    ]);
  });

  it('a runtime that differs from the local one, or set as an app setting', () => {
    expect(runtimeProblems(withEdit(sources, PATHS.main, "runtimeName: 'node'", "runtimeName: 'python'"), HOST_SETTINGS.runtime)).toHaveLength(1);
    const asSetting = withEdit(sources, PATHS.main, "SORA_API: soraApi\n", "SORA_API: soraApi\n    FUNCTIONS_WORKER_RUNTIME: 'node'\n");
    expect(runtimeProblems(asSetting, HOST_SETTINGS.runtime)).toEqual(['FUNCTIONS_WORKER_RUNTIME is set as an app setting, which Flex Consumption rejects']);
  });

  it('the task hub setting host.json refers to, removed', () => {
    const broken = withEdit(sources, PATHS.main, 'DURABLE_TASK_HUB_NAME: taskHubName\n', '');
    expect(hostReferencesUnset(broken)).toEqual([
      'host.json refers to DURABLE_TASK_HUB_NAME, which infra/ does not set',
      'infra/host.durable-task-scheduler.json refers to DURABLE_TASK_HUB_NAME, which infra/ does not set',
    ]);
  });

  it('the scheduler connection string removed', () => {
    const broken = withEdit(sources, PATHS.main, 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING:', 'DTS_CONNECTION:');
    expect(hostReferencesUnset(broken)).toEqual([
      'infra/host.durable-task-scheduler.json refers to DURABLE_TASK_SCHEDULER_CONNECTION_STRING, which infra/ does not set',
    ]);
  });

  it('a storage connection host.json names that infra/ does not set', () => {
    const broken = withEdit(sources, PATHS.host, '"connectionName": "AzureWebJobsStorage"', '"connectionName": "DurableStorage"');
    expect(hostReferencesUnset(broken)).toEqual(['host.json uses connection DurableStorage, which infra/ does not set']);
  });

  it('a value the app rejects', () => {
    const broken = withEdit(sources, PATHS.main, "STORE_CONCURRENCY: '4'", "STORE_CONCURRENCY: '99'");
    const problems = literalSettingsRejected(broken, SET_IN_AZURE, AZURE_ENV, loadConfig);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('STORE_CONCURRENCY');
  });

  it('a storage role dropped from the app identity', () => {
    const broken = withEdit(sources, 'infra/app/rbac.bicep', '  storageQueueDataContributorRoleId\n  storageTableDataContributorRoleId\n]', '  storageTableDataContributorRoleId\n]');
    expect(missingRoleAssignments(broken, APP_ROLES, APP_PRINCIPAL)).toEqual([
      'Storage Queue Data Contributor (974c5e8b-45b9-4653-ba55-5f855dd0fb88) is not assigned to managedIdentityPrincipalId',
    ]);
  });

  it('the OpenAI role given to the wrong principal', () => {
    const broken = withEdit(
      sources,
      'infra/app/openai-access.bicep',
      "    principalId: managedIdentityPrincipalId\n    principalType: 'ServicePrincipal'",
      "    principalId: userIdentityPrincipalId\n    principalType: 'ServicePrincipal'",
    );
    expect(missingRoleAssignments(broken, APP_ROLES, APP_PRINCIPAL)).toEqual([
      'Cognitive Services User (a97b65f3-24c7-4388-baec-2e87135dc908) is not assigned to managedIdentityPrincipalId',
    ]);
  });

  it('a role module handed some other principal', () => {
    const broken = withEdit(sources, PATHS.main, `managedIdentityPrincipalId: apiUserAssignedIdentity.outputs.principalId\n    userIdentityPrincipalId: principalId\n    userIdentityPrincipalType: principalType\n  }\n}\n\nmodule serviceVirtualNetwork`, `managedIdentityPrincipalId: principalId\n    userIdentityPrincipalId: principalId\n    userIdentityPrincipalType: principalType\n  }\n}\n\nmodule serviceVirtualNetwork`);
    expect(appPrincipalBindingProblems(broken)).toEqual([
      'module rbac binds managedIdentityPrincipalId to principalId, not apiUserAssignedIdentity.outputs.principalId',
    ]);
  });

  it('a container name that differs from the code', () => {
    const broken = withEdit(sources, PATHS.main, "var videosContainerName = 'videos'", "var videosContainerName = 'clips'");
    expect(containerProblems(broken, CONTAINER_VARIABLES, containerDefaults())).toEqual([
      "videosContainerName is clips but the app's default VIDEOS_CONTAINER is videos",
    ]);
  });

  it('the submission ledger container not created', () => {
    const broken = withEdit(sources, PATHS.main, '        { name: ledgerContainerName }\n', '');
    expect(containerProblems(broken, CONTAINER_VARIABLES, containerDefaults())).toEqual(['no blob container is created from ledgerContainerName']);
  });

  it('the request index table not created, named apart from the code, or not handed to the app', () => {
    const table = (broken: typeof sources) => tableProblems(broken, SETTINGS.requestsTable, 'requestsTableName', 'videorequests');
    expect(table(withEdit(sources, PATHS.main, '        { name: requestsTableName }\n', ''))).toEqual(['no table is created from requestsTableName']);
    expect(table(withEdit(sources, PATHS.main, "var requestsTableName = 'videorequests'", "var requestsTableName = 'requests'"))).toEqual([
      "requestsTableName is requests but the app's default REQUESTS_TABLE is videorequests",
    ]);
    expect(table(withEdit(sources, PATHS.main, '    REQUESTS_TABLE: requestsTableName\n', ''))).toEqual(['REQUESTS_TABLE is not set to requestsTableName']);
    const noEndpoint = withEdit(sources, 'infra/app/api.bicep', '  VideoStorage__tableServiceUri: stg.properties.primaryEndpoints.table\n', '');
    expect(identityConnectionProblems(noEndpoint, SETTINGS.videoStorage, ['blob', 'table'])).toEqual(['VideoStorage__tableServiceUri is not set by infra/']);
  });

  it('a secret parameter without @secure()', () => {
    const plain = withEdit(sources, PATHS.main, 'param vNetName string', 'param openAiApiKey string\nparam vNetName string');
    expect(plainSecretParams(plain)).toEqual(['infra/main.bicep: param openAiApiKey looks like a secret but is not @secure()']);
    const secure = withEdit(sources, PATHS.main, 'param vNetName string', "@secure()\n@description('x')\nparam openAiApiKey string\nparam vNetName string");
    expect(plainSecretParams(secure)).toEqual([]);
  });

  it('shared keys allowed, read or put into a setting', () => {
    expect(sharedKeyProblems(withEdit(sources, PATHS.main, 'allowSharedKeyAccess: false', 'allowSharedKeyAccess: true'))).toEqual([
      'a storage account allows shared key access',
      'infra/main.bicep does not set allowSharedKeyAccess: false',
    ]);
    const keyed = withEdit(
      sources,
      'infra/app/api.bicep',
      "AzureWebJobsStorage__credential: 'managedidentity'",
      "AzureWebJobsStorage__credential: 'managedidentity'\n  AzureWebJobsStorage: 'DefaultEndpointsProtocol=https;AccountName=${stg.name};AccountKey=${stg.listKeys().keys[0].value}'",
    );
    expect(sharedKeyProblems(keyed)).toEqual([
      'infra/app/api.bicep uses listKeys(',
      'infra/app/api.bicep uses AccountKey=',
      'infra/app/api.bicep uses DefaultEndpointsProtocol=',
    ]);
    expect(identityConnectionProblems(keyed, HOST_SETTINGS.hostStorage, ['blob', 'queue', 'table'])).toEqual([
      'AzureWebJobsStorage is set as a connection string; use AzureWebJobsStorage__* with the managed identity',
    ]);
  });

  it('local auth left on for Azure OpenAI or Application Insights', () => {
    expect(localAuthProblems(withEdit(sources, PATHS.openAi, 'disableLocalAuth: true', 'disableLocalAuth: false'))).toEqual([
      'infra/app/openai.bicep does not set disableLocalAuth: true',
    ]);
    expect(localAuthProblems(withEdit(sources, PATHS.main, 'disableLocalAuth: true', 'disableLocalAuth: false'))).toEqual([
      'Application Insights does not set disableLocalAuth: true',
    ]);
  });

  it('the scheduler host.json drifting from host.json', () => {
    const broken = withEdit(sources, PATHS.schedulerHost, '"maxConcurrentActivityFunctions": 10', '"maxConcurrentActivityFunctions": 20');
    expect(schedulerHostDrift(broken)).toEqual(['infra/host.durable-task-scheduler.json differs from host.json beyond the storage provider']);
  });

  it('an azure.yaml service the Bicep does not tag, or not a TypeScript function app', () => {
    expect(azureYamlProblems(withEdit(sources, PATHS.azureYaml, '  api:', '  web:'))).toEqual([
      'azure.yaml services [web] do not match the azd-service-name api in infra/app/api.bicep',
    ]);
    expect(azureYamlProblems(withEdit(sources, PATHS.azureYaml, 'host: function', 'host: appservice'))).toEqual([
      'azure.yaml does not deploy to a function app (host: function)',
    ]);
  });

  it('the app identity given the OpenAI User role as well', () => {
    const broken = withEdit(
      sources,
      'infra/app/openai-access.bicep',
      "var cognitiveServicesUserRoleId = 'a97b65f3-24c7-4388-baec-2e87135dc908'",
      `var cognitiveServicesUserRoleId = 'a97b65f3-24c7-4388-baec-2e87135dc908'\nvar openAiUserRoles = [\n  '${OPENAI_USER_ROLE}'\n]\n\nresource extraRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [\n  for roleId in openAiUserRoles: {\n    name: guid(roleId)\n    properties: {\n      principalId: managedIdentityPrincipalId\n    }\n  }\n]`,
    );
    expect(unexpectedRoleAssignments(broken, APP_ROLES, APP_PRINCIPAL)).toEqual([
      `infra/app/openai-access.bicep: extraRoles assigns role ${OPENAI_USER_ROLE} to managedIdentityPrincipalId, beyond the roles it needs`,
    ]);
  });

  it('a model version chosen for the user, in the Bicep or the parameter file', () => {
    const inBicep = withEdit(sources, PATHS.main, "param soraModelVersion string = ''", "param soraModelVersion string = '2025-12-08'");
    expect(modelDefaultProblems(inBicep)).toEqual(["infra/main.bicep: param soraModelVersion defaults to '2025-12-08'"]);
    const inFile = withEdit(sources, PATHS.parameters, '"${SORA_MODEL_VERSION}"', '"${SORA_MODEL_VERSION=2025-12-08}"');
    expect(modelDefaultProblems(inFile)).toEqual(['infra/main.parameters.json gives soraModelVersion "${SORA_MODEL_VERSION=2025-12-08}", not a plain azd environment value']);
    const literal = withEdit(sources, PATHS.openAi, 'version: modelVersion', "version: '2025-10-06'");
    expect(modelDefaultProblems(literal)).toEqual(['infra/app/openai.bicep writes a literal model version']);
  });

  it('a deployment created whatever the user gave', () => {
    const always = withEdit(sources, PATHS.main, "module openAi './app/openai.bicep' = if (createOpenAi) {", "module openAi './app/openai.bicep' = {");
    expect(modelDefaultProblems(always)).toEqual(['infra/main.bicep does not create the account and deployment only if (createOpenAi)']);
  });

  it('a body cap that ignores the video limit, or that local.settings.json.example does not mirror', () => {
    const fixed = withEdit(sources, PATHS.main, '(2 * inputMaxImageMiB + inputMaxVideoMiB + multipartOverheadMiB)', '(2 * inputMaxImageMiB + 200 + multipartOverheadMiB)');
    expect(requestBodyLimitProblems(fixed, BODY_LIMIT_RULE)).toEqual([
      // (2 × 100 + 200 + 2) MiB allowed, (2 × 100 + 2000) MiB + 1,341,440 bytes needed.
      'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT is 421527552 with 100 MiB images and 2000 MiB videos, below the 2308208640 bytes such a request can carry',
    ]);
    const local = withEdit(sources, PATHS.localSettings, '"FUNCTIONS_REQUEST_BODY_SIZE_LIMIT": "264241152"', '"FUNCTIONS_REQUEST_BODY_SIZE_LIMIT": "104857600"');
    expect(requestBodyLimitProblems(local, BODY_LIMIT_RULE)).toEqual([
      'local.settings.json.example sets FUNCTIONS_REQUEST_BODY_SIZE_LIMIT to 104857600, not the 264241152 infra/ derives from its upload limits',
    ]);
  });

  it('the app subnet delegated the way of the older plans', () => {
    const broken = withEdit(sources, PATHS.vnet, "delegation: 'Microsoft.App/environments'", "delegation: 'Microsoft.Web/serverFarms'");
    expect(vnetDelegationProblems(broken)).toEqual([
      'infra/app/vnet.bicep delegates [Microsoft.Web/serverFarms]; Flex Consumption needs one subnet delegated to Microsoft.App/environments',
    ]);
  });

  it('a remote build, or a package azd would zip without staging it first', () => {
    expect(packagingProblems(withEdit(sources, PATHS.azureYaml, 'remoteBuild: false', 'remoteBuild: true'), PACKAGING_RULE)).toEqual([
      'azure.yaml does not set remoteBuild: false',
    ]);
    const noHook = withEdit(sources, PATHS.azureYaml, '        windows:\n          shell: pwsh\n          run: npm run package:azure\n', '');
    expect(packagingProblems(noHook, PACKAGING_RULE)).toEqual(["azure.yaml's prepackage hook does not run npm run package:azure on windows"]);
    const elsewhere = withEdit(sources, PATHS.azureYaml, 'dist: dist/deploy-package', 'dist: dist');
    expect(packagingProblems(elsewhere, PACKAGING_RULE)).toEqual(['azure.yaml does not deploy dist/deploy-package (dist)']);
  });

  it('a backend the packager has no host.json for, or read from another value', () => {
    const extra = withEdit(sources, PATHS.main, "  'DurableTaskScheduler'\n])", "  'DurableTaskScheduler'\n  'Netherite'\n])");
    expect(backendChoiceProblems(extra, Object.keys(HOST_JSON_FOR_BACKEND), BACKEND_SETTING)).toEqual([
      'infra/main.bicep allows durableTaskBackend [AzureStorage, DurableTaskScheduler, Netherite] but the packager knows [AzureStorage, DurableTaskScheduler]',
    ]);
    const renamed = withEdit(sources, PATHS.parameters, '${DURABLE_TASK_BACKEND=AzureStorage}', '${DURABLE_BACKEND=AzureStorage}');
    expect(backendChoiceProblems(renamed, Object.keys(HOST_JSON_FOR_BACKEND), BACKEND_SETTING)).toEqual([
      'infra/main.parameters.json does not give durableTaskBackend from DURABLE_TASK_BACKEND, the value the packager reads',
    ]);
  });

  it('a parameter file naming an unknown parameter, or missing a required one', () => {
    const unknown = withEdit(sources, PATHS.parameters, '"soraApi":', '"soraAPI":');
    expect(parameterFileProblems(unknown)).toEqual(['infra/main.parameters.json sets soraAPI, which infra/main.bicep does not declare']);
    const missing = withEdit(sources, PATHS.main, 'param vnetEnabled bool = false', 'param vnetEnabled bool\nparam soraRegion string');
    expect(parameterFileProblems(missing)).toEqual(['infra/main.bicep param soraRegion has no default and no value in infra/main.parameters.json']);
  });
});
