/**
 * infra/ against the code: every setting the app reads in Azure is set by the
 * Bicep and listed in local.settings.json.example, the identity holds every
 * role the code needs, container names match the code's defaults, and no key
 * or secret appears. No Bicep compiler runs here, so the checks read the text
 * (see bicep-source.ts); the second half feeds each check an altered copy to
 * show it fails.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_SETTINGS, loadConfig, SETTINGS } from '../../src/config';
import {
  APP_PRINCIPAL,
  appPrincipalBindingProblems,
  azureYamlProblems,
  containerProblems,
  hostReferencesUnset,
  identityConnectionProblems,
  literalSettingsRejected,
  localAuthProblems,
  missingRoleAssignments,
  parameterFileProblems,
  plainSecretParams,
  runtimeProblems,
  schedulerHostDrift,
  settingsMissingFromInfra,
  settingsMissingFromLocalExample,
  settingsThatMustStayLocal,
  sharedKeyProblems,
  USER_PRINCIPAL,
} from './infra-checks';
import { PATHS, readInfraSources, withEdit } from './infra-sources';

/**
 * Settings that exist only for a laptop and must NOT be set in Azure:
 * - the API key: the Azure OpenAI account has local auth disabled, so a key
 *   would not work there, and it would be a secret sitting in app settings;
 * - VideoStorage: a connection string (Azurite's); Azure reaches the videos
 *   with VideoStorage__blobServiceUri and the managed identity instead;
 * - the expected job time: shortens polling against the fast local emulator;
 *   in Azure the app uses the service's typical duration.
 */
const LOCAL_ONLY_SETTINGS: readonly string[] = [SETTINGS.openAiApiKey, SETTINGS.videoStorage, SETTINGS.pollExpectedJobSeconds];

/**
 * Host settings Azure provides another way:
 * - FUNCTIONS_WORKER_RUNTIME: Flex Consumption rejects it as an app setting and
 *   takes the runtime from functionAppConfig (runtimeName in main.bicep);
 * - AzureWebJobsStorage: a connection by identity, AzureWebJobsStorage__*.
 */
const PROVIDED_OTHERWISE: readonly string[] = [HOST_SETTINGS.runtime, HOST_SETTINGS.hostStorage];

const ALL_SETTINGS: readonly string[] = [...Object.values(SETTINGS), ...Object.values(HOST_SETTINGS)];
const SET_IN_AZURE = ALL_SETTINGS.filter((name) => !LOCAL_ONLY_SETTINGS.includes(name) && !PROVIDED_OTHERWISE.includes(name));

/** Roles the app's identity needs, by role definition GUID (the same in every tenant), and why. */
const APP_ROLES = {
  // Reads and writes videos and inputs, and requests user delegation keys to sign read links.
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  // The Functions host and Durable Functions (Azure Storage backend) use queues and tables.
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  // Telemetry ingestion with Entra ID (local auth is off on Application Insights).
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  // Calls Sora with an Entra token.
  'Cognitive Services OpenAI User': '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  // The Durable Task Scheduler backend, when chosen.
  'Durable Task Data Contributor': '0ad04412-c4d5-4796-b79c-f76d14c8d402',
};

/** The data roles a developer needs to run the app locally against the deployed resources. */
const USER_ROLES = {
  'Storage Blob Data Owner': APP_ROLES['Storage Blob Data Owner'],
  'Storage Queue Data Contributor': APP_ROLES['Storage Queue Data Contributor'],
  'Storage Table Data Contributor': APP_ROLES['Storage Table Data Contributor'],
  'Cognitive Services OpenAI User': APP_ROLES['Cognitive Services OpenAI User'],
  'Durable Task Data Contributor': APP_ROLES['Durable Task Data Contributor'],
};

/** The least an environment needs for loadConfig to succeed in Azure; the rest comes from infra/. */
const AZURE_ENV = {
  [SETTINGS.openAiEndpoint]: 'https://example.openai.azure.com/',
  [SETTINGS.videoStorageBlobServiceUri]: 'https://example.blob.core.windows.net/',
};

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
    expect(identityConnectionProblems(sources, SETTINGS.videoStorage, ['blob'])).toEqual([]);
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

  it('assigns the app identity every role the code needs', () => {
    expect(missingRoleAssignments(sources, APP_ROLES, APP_PRINCIPAL)).toEqual([]);
    expect(appPrincipalBindingProblems(sources)).toEqual([]);
  });

  it('gives the deploying developer the data roles for local runs', () => {
    expect(missingRoleAssignments(sources, USER_ROLES, USER_PRINCIPAL)).toEqual([]);
  });

  it("creates the containers under the code's default names", () => {
    expect(containerProblems(sources, CONTAINER_VARIABLES, containerDefaults())).toEqual([]);
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
      'Cognitive Services OpenAI User (5e0bd9bd-7b93-4f28-af87-19fc36ad61bd) is not assigned to managedIdentityPrincipalId',
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

  it('a parameter file naming an unknown parameter, or missing a required one', () => {
    const unknown = withEdit(sources, PATHS.parameters, '"soraApi":', '"soraAPI":');
    expect(parameterFileProblems(unknown)).toEqual(['infra/main.parameters.json sets soraAPI, which infra/main.bicep does not declare']);
    const missing = withEdit(sources, PATHS.main, 'param vnetEnabled bool = false', 'param vnetEnabled bool\nparam soraRegion string');
    expect(parameterFileProblems(missing)).toEqual(['infra/main.bicep param soraRegion has no default and no value in infra/main.parameters.json']);
  });
});
