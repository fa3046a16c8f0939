// sora-orchestrator on Azure: a Flex Consumption function app that reaches
// Storage, Application Insights, Azure OpenAI and (optionally) the Durable Task
// Scheduler with one user-assigned managed identity. No key or connection
// string with a key is created, stored or handed to the app.
//
// Shape and module versions follow the Azure-Samples templates
// functions-quickstart-typescript-azd and durable-functions-quickstart-typescript-azd.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment, used to derive a short unique hash for every resource name.')
param environmentName string

@minLength(1)
@description('Region for the function app and its storage (a region that offers Flex Consumption).')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Put the storage account behind private endpoints in a new VNet. Video links then only work from inside that network.')
param vnetEnabled bool = false

param apiServiceName string = ''
param apiUserAssignedIdentityName string = ''
param applicationInsightsName string = ''
param appServicePlanName string = ''
param logAnalyticsName string = ''
param resourceGroupName string = ''
param storageAccountName string = ''
param vNetName string = ''

@description('Object id of the developer running azd; gets the same data roles as the app so local runs can use their own identity. Empty: none.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
])
@description('Kind of principal behind principalId (ServicePrincipal when azd runs in CI).')
param principalType string = 'User'

@minValue(1)
@description('Days after which stored videos (container videos) are deleted by a lifecycle rule.')
param videoRetentionDays int = 30

// ---- The video model: the user's choice, never ours ----
// Microsoft's model retirement schedule lists the sora model (the jobs API) as
// retired and every sora-2 version as retired or retiring with no replacement;
// a retired deployment answers every call with 410 Gone, and a retiring version
// can only be deployed again by those who have it. So no model or version is
// written here.
// By default the app calls a deployment you already have (openAiEndpoint +
// soraDeploymentName); a new account and deployment are created only when you
// name the model and its version (soraModelName + soraModelVersion).

@description('Endpoint of your existing Azure OpenAI or Foundry resource, e.g. https://my-resource.openai.azure.com/ (azd env: AZURE_OPENAI_ENDPOINT). Empty: read from openAiResourceId. Not used when soraModelName and soraModelVersion create a new account.')
param openAiEndpoint string = ''

@description('Resource id of that resource, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name> (AZURE_OPENAI_RESOURCE_ID): lets azd grant the app its role there. Empty: no role is assigned; grant it yourself (infra/README.md).')
param openAiResourceId string = ''

@description('Grant the app (and principalId) Cognitive Services User on the resource openAiResourceId names (AZURE_OPENAI_ASSIGN_ROLE). Needs Owner, User Access Administrator or Role Based Access Control Administrator there; false: grant it yourself.')
param assignOpenAiRole bool = true

@allowed([
  'jobs'
  'videos'
])
@description('The API your deployment speaks, the one requests use by default (SORA_API): videos (sora-2 family: /openai/v1/videos) or jobs (sora: /openai/v1/video/generations/jobs, retired by Microsoft).')
param soraApi string = 'videos'

@description('Name of the deployment the app calls for soraApi (AZURE_OPENAI_DEPLOYMENT). Required with an existing resource; a new deployment defaults to the model name.')
param soraDeploymentName string = ''

@description('Optional: a deployment for the jobs API too, when your resource serves both APIs (AZURE_OPENAI_JOBS_DEPLOYMENT).')
param soraJobsDeploymentName string = ''

@description('Optional: a deployment for the videos API too, when your resource serves both APIs (AZURE_OPENAI_VIDEOS_DEPLOYMENT).')
param soraVideosDeploymentName string = ''

@description('Only to create a new account and deployment: the model, e.g. sora-2 (SORA_MODEL_NAME). See what a region offers: az cognitiveservices model list -l <region>. Empty: nothing is created.')
param soraModelName string = ''

@description('Only with soraModelName: the model version (SORA_MODEL_VERSION). No default on purpose: a retired version fails to deploy or answers 410 Gone.')
param soraModelVersion string = ''

@description('SKU of a new deployment (SORA_DEPLOYMENT_SKU).')
param soraDeploymentSkuName string = 'GlobalStandard'

@minValue(1)
@description('Capacity of a new deployment (SORA_DEPLOYMENT_CAPACITY).')
param soraDeploymentCapacity int = 1

@description('Name (and custom subdomain) of a new account. Empty: derived from the environment.')
param openAiAccountName string = ''

@description('Region of a new account (AZURE_OPENAI_LOCATION); it must offer the model. Empty: the app\'s region.')
param openAiLocation string = ''

// ---- Uploads ----

@minValue(1)
@description('Largest accepted image upload in MiB (INPUT_MAX_IMAGE_MIB); a request carries at most two.')
param inputMaxImageMiB int = 25

@minValue(1)
@description('Largest accepted video upload in MiB (INPUT_MAX_VIDEO_MIB); a request carries at most one.')
param inputMaxVideoMiB int = 200

// ---- Pipelines ----

@secure()
@description('Key that signs webhooks (WEBHOOK_SECRET): whsec_ and the base64 of 24–64 random bytes, e.g. azd env set WEBHOOK_SECRET "whsec_$(openssl rand -base64 32)". Kept in Key Vault; empty: no vault, and requests that name a callback are refused (the results queue works either way).')
param webhookSecret string = ''

@allowed([
  'AzureStorage'
  'DurableTaskScheduler'
])
@description('Durable Functions backend (DURABLE_TASK_BACKEND). With DurableTaskScheduler the packager (azd\'s prepackage hook, which sees the same azd environment value) deploys infra/host.durable-task-scheduler.json as host.json.')
param durableTaskBackend string = 'AzureStorage'

param durableTaskSchedulerName string = ''

@description('Region of the Durable Task Scheduler (one that offers its Consumption SKU).')
param durableTaskSchedulerLocation string = location

@minLength(3)
@maxLength(45)
@description('Task hub name (letters and digits, starting with a letter): the Azure Storage task hub, or the scheduler\'s task hub.')
param taskHubName string = 'soraorchestrator'

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = !empty(apiServiceName) ? apiServiceName : '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'

// The app's blob containers; the names are the defaults of VIDEOS_CONTAINER, INPUTS_CONTAINER and LEDGER_CONTAINER in src/config.ts.
var videosContainerName = 'videos'
var inputsContainerName = 'video-inputs'
var ledgerContainerName = 'sora-ledger'
// The request index listing reads (REQUESTS_TABLE's default in src/config.ts).
var requestsTableName = 'videorequests'
// Where a JSON Lines file is dropped to start a batch: src/names.ts BATCH_FILES_CONTAINER (a fixed name, not a setting).
var batchFilesContainerName = 'video-requests'

// The pipeline queues; the names are the defaults of VIDEO_REQUESTS_QUEUE and VIDEO_RESULTS_QUEUE in src/config.ts.
// The host makes video-requests-poison itself when a message first fails for good.
var requestsQueueName = 'video-requests'
var resultsQueueName = 'video-results'

// A new account and deployment only when the user names both the model and its version.
var createOpenAi = empty(soraModelName) && empty(soraModelVersion)
  ? false
  : (!empty(soraModelName) && !empty(soraModelVersion)
      ? true
      : fail('Set both SORA_MODEL_NAME and SORA_MODEL_VERSION to create a new video deployment, or neither to use an existing one (see infra/README.md).'))

// The existing resource, when its id is given: /subscriptions/{0}/resourceGroups/{1}/providers/Microsoft.CognitiveServices/accounts/{2}.
var openAiIdParts = split(openAiResourceId, '/')
var openAiIdProblem = 'AZURE_OPENAI_RESOURCE_ID must look like /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>.'
var hasOpenAiId = empty(openAiResourceId)
  ? false
  : (length(openAiIdParts) != 9
      ? fail(openAiIdProblem)
      : (toLower(openAiIdParts[6]) == 'microsoft.cognitiveservices' && toLower(openAiIdParts[7]) == 'accounts' ? true : fail(openAiIdProblem)))

var openAiName = createOpenAi
  ? (!empty(openAiAccountName) ? openAiAccountName : '${abbrs.cognitiveServicesAccounts}${resourceToken}')
  : (hasOpenAiId ? openAiIdParts[8] : '')
var openAiSubscriptionId = !createOpenAi && hasOpenAiId ? openAiIdParts[2] : subscription().subscriptionId
var openAiResourceGroupName = !createOpenAi && hasOpenAiId ? openAiIdParts[4] : rg.name

// The deployment the app calls for soraApi, and one per API for the settings src/config.ts reads.
var soraDeployment = !empty(soraDeploymentName)
  ? soraDeploymentName
  : (createOpenAi
      ? soraModelName
      : fail('Name the video deployment the app should call: azd env set AZURE_OPENAI_DEPLOYMENT <deployment> (and AZURE_OPENAI_ENDPOINT or AZURE_OPENAI_RESOURCE_ID for its resource), or create one with SORA_MODEL_NAME and SORA_MODEL_VERSION (see infra/README.md).'))
var soraJobsDeployment = !empty(soraJobsDeploymentName) ? soraJobsDeploymentName : (soraApi == 'jobs' ? soraDeployment : '')
var soraVideosDeployment = !empty(soraVideosDeploymentName) ? soraVideosDeploymentName : (soraApi == 'videos' ? soraDeployment : '')

// The endpoint the app calls: the one given, else the one the account reports (a new one, or the one openAiResourceId names).
var openAiEndpointValue = !createOpenAi && !empty(openAiEndpoint)
  ? openAiEndpoint
  : (createOpenAi || hasOpenAiId
      ? openAiAccess.outputs.endpoint
      : fail('Point the app at the resource that serves your video deployment: azd env set AZURE_OPENAI_ENDPOINT https://<resource>.openai.azure.com/ (or AZURE_OPENAI_RESOURCE_ID), or create one with SORA_MODEL_NAME and SORA_MODEL_VERSION (see infra/README.md).'))

// The Functions host refuses request bodies over 100 MiB (104,857,600 bytes)
// unless FUNCTIONS_REQUEST_BODY_SIZE_LIMIT raises it. The largest request the
// app accepts is multipart: two images and one video at their limits, plus the
// other form fields and part headers. 2 MiB covers those: the starter's
// multipart reader (src/inputs/receive-multipart.ts) takes at most 20 fields
// of 64 KiB each (1.25 MiB) and 30 parts, whose headers and boundaries are a
// few hundred bytes each.
var multipartOverheadMiB = 2
var requestBodyLimitBytes = (2 * inputMaxImageMiB + inputMaxVideoMiB + multipartOverheadMiB) * 1048576

var useDurableTaskScheduler = durableTaskBackend == 'DurableTaskScheduler'

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The one identity the app uses for everything; roles are granted to it below.
module apiUserAssignedIdentity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'apiUserAssignedIdentity'
  scope: rg
  params: {
    location: location
    tags: tags
    name: !empty(apiUserAssignedIdentityName) ? apiUserAssignedIdentityName : '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
  }
}

module appServicePlan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'appserviceplan'
  scope: rg
  params: {
    name: !empty(appServicePlanName) ? appServicePlanName : '${abbrs.webServerFarms}${resourceToken}'
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
    location: location
    tags: tags
  }
}

// The app's own settings (the names in src/config.ts). Settings that only make
// sense on a laptop (an API key, a storage connection string, the emulator's
// expected job time) are deliberately absent: see test/infra.
var appSettings = union(
  {
    AZURE_CLIENT_ID: apiUserAssignedIdentity.outputs.clientId
    AZURE_OPENAI_ENDPOINT: openAiEndpointValue
    AZURE_OPENAI_DEPLOYMENT: soraDeployment
    AZURE_OPENAI_JOBS_DEPLOYMENT: soraJobsDeployment
    AZURE_OPENAI_VIDEOS_DEPLOYMENT: soraVideosDeployment
    AZURE_OPENAI_SCOPE: 'https://cognitiveservices.azure.com/.default'
    AZURE_OPENAI_API_VERSION: 'preview'
    SORA_API: soraApi
    SORA_REQUEST_TIMEOUT_SECONDS: '30'
    VIDEOS_CONTAINER: videosContainerName
    INPUTS_CONTAINER: inputsContainerName
    LEDGER_CONTAINER: ledgerContainerName
    REQUESTS_TABLE: requestsTableName
    POLL_MIN_SECONDS: '5'
    POLL_MAX_SECONDS: '60'
    JOB_DEADLINE_MINUTES: '30'
    LINK_TTL_MINUTES: '60'
    STORE_BLOCK_SIZE_MIB: '8'
    STORE_CONCURRENCY: '4'
    STORE_MEMORY_BUDGET_MIB: '64'
    INPUT_MAX_IMAGE_MIB: string(inputMaxImageMiB)
    INPUT_MAX_VIDEO_MIB: string(inputMaxVideoMiB)
    ADMISSION_CAPACITY: '2'
    BATCH_CONCURRENCY: '10'
    VIDEO_REQUESTS_QUEUE: requestsQueueName
    VIDEO_RESULTS_QUEUE: resultsQueueName
    // A Key Vault reference, resolved by the platform with the app's identity; never the key itself.
    WEBHOOK_SECRET: empty(webhookSecret) ? '' : '@Microsoft.KeyVault(SecretUri=${webhookSecretVault!.outputs.secretUri})'
    // Read by the Functions host, not by our code: see requestBodyLimitBytes.
    FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(requestBodyLimitBytes)
    DURABLE_TASK_HUB_NAME: taskHubName
  },
  useDurableTaskScheduler
    ? {
        // Read by the azureManaged storage provider in infra/host.durable-task-scheduler.json; carries no secret.
        DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTaskScheduler.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${apiUserAssignedIdentity.outputs.clientId}'
      }
    : {}
)

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.name
    appServicePlanId: appServicePlan.outputs.resourceId
    runtimeName: 'node'
    runtimeVersion: '22'
    storageAccountName: storage.outputs.name
    deploymentStorageContainerName: deploymentStorageContainerName
    identityId: apiUserAssignedIdentity.outputs.resourceId
    identityClientId: apiUserAssignedIdentity.outputs.clientId
    appSettings: appSettings
    virtualNetworkSubnetId: vnetEnabled ? serviceVirtualNetwork.outputs.appSubnetID : ''
  }
}

// One account holds the host's storage, the deployment package and the videos.
module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // Entra ID only: no account key works, so none can leak
    dnsEndpointType: 'Standard'
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
    networkAcls: vnetEnabled
      ? {
          defaultAction: 'Deny'
          bypass: 'None'
        }
      : {
          defaultAction: 'Allow'
          bypass: 'AzureServices'
        }
    queueServices: {
      queues: [
        { name: requestsQueueName }
        { name: resultsQueueName }
      ]
    }
    blobServices: {
      containers: [
        { name: deploymentStorageContainerName }
        { name: videosContainerName }
        { name: inputsContainerName }
        { name: ledgerContainerName }
        { name: batchFilesContainerName }
      ]
    }
    tableServices: {
      tables: [
        { name: requestsTableName }
      ]
    }
    minimumTlsVersion: 'TLS1_2'
    location: location
    tags: tags
  }
}

module storageLifecycle './app/storage-lifecycle.bicep' = {
  name: 'storageLifecycle'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    inputsContainerName: inputsContainerName
    videosContainerName: videosContainerName
    ledgerContainerName: ledgerContainerName
    videoRetentionDays: videoRetentionDays
  }
}

// Blob-created events of the account; the subscription to the app follows the code (infra/hooks/, azure.yaml postdeploy).
module batchFilesTopic './app/blob-events-topic.bicep' = {
  name: 'batchFilesTopic'
  scope: rg
  params: {
    name: '${abbrs.eventGridSystemTopics}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
// Only when a webhook key is given: the vault that keeps it, readable by the app's identity alone.
module webhookSecretVault './app/webhook-secret.bicep' = if (!empty(webhookSecret)) {
  name: 'webhookSecretVault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    webhookSecret: webhookSecret
    managedIdentityPrincipalId: apiUserAssignedIdentity.outputs.principalId
  }
}

module rbac './app/rbac.bicep' = {
  name: 'rbacAssignments'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.name
    managedIdentityPrincipalId: apiUserAssignedIdentity.outputs.principalId
    userIdentityPrincipalId: principalId
    userIdentityPrincipalType: principalType
  }
}

module serviceVirtualNetwork './app/vnet.bicep' = if (vnetEnabled) {
  name: 'serviceVirtualNetwork'
  scope: rg
  params: {
    location: location
    tags: tags
    vNetName: !empty(vNetName) ? vNetName : '${abbrs.networkVirtualNetworks}${resourceToken}'
  }
}

module storagePrivateEndpoint './app/storage-PrivateEndpoint.bicep' = if (vnetEnabled) {
  name: 'servicePrivateEndpoint'
  scope: rg
  params: {
    location: location
    tags: tags
    virtualNetworkName: !empty(vNetName) ? vNetName : '${abbrs.networkVirtualNetworks}${resourceToken}'
    subnetName: vnetEnabled ? serviceVirtualNetwork.outputs.peSubnetName : ''
    resourceName: storage.outputs.name
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: '${uniqueString(deployment().name, location)}-loganalytics'
  scope: rg
  params: {
    name: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
  }
}

// Local auth off: telemetry is only accepted with an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
module monitoring 'br/public:avm/res/insights/component:0.6.0' = {
  name: '${uniqueString(deployment().name, location)}-appinsights'
  scope: rg
  params: {
    name: !empty(applicationInsightsName) ? applicationInsightsName : '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true
  }
}

// Only when the user named a model and its version: a new account with that one deployment.
module openAi './app/openai.bicep' = if (createOpenAi) {
  name: 'openai'
  scope: rg
  params: {
    name: openAiName
    location: !empty(openAiLocation) ? openAiLocation : location
    tags: tags
    deploymentName: soraDeployment
    modelName: soraModelName
    modelVersion: soraModelVersion
    skuName: soraDeploymentSkuName
    capacity: soraDeploymentCapacity
  }
}

// Runs in the account's own resource group (and subscription), so an existing
// account elsewhere gets the role too; reads the endpoint it reports. Without a
// new account or a resource id there is nothing to reach: the endpoint is given.
module openAiAccess './app/openai-access.bicep' = if (createOpenAi || hasOpenAiId) {
  name: 'openaiAccess'
  scope: resourceGroup(openAiSubscriptionId, openAiResourceGroupName)
  params: {
    accountName: openAiName
    assignRoles: createOpenAi || assignOpenAiRole
    managedIdentityPrincipalId: apiUserAssignedIdentity.outputs.principalId
    userIdentityPrincipalId: principalId
    userIdentityPrincipalType: principalType
  }
  dependsOn: [
    openAi
  ]
}

module durableTaskScheduler './app/dts.bicep' = if (useDurableTaskScheduler) {
  name: 'durableTaskScheduler'
  scope: rg
  params: {
    name: !empty(durableTaskSchedulerName) ? durableTaskSchedulerName : '${abbrs.durableTaskSchedulers}${resourceToken}'
    taskHubName: taskHubName
    location: durableTaskSchedulerLocation
    tags: tags
    managedIdentityPrincipalId: apiUserAssignedIdentity.outputs.principalId
    userIdentityPrincipalId: principalId
    userIdentityPrincipalType: principalType
  }
}

// azd stores these as environment values (azd env get-values).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_URL string = api.outputs.url
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = api.outputs.blobEndpoint
output AZURE_OPENAI_ENDPOINT string = openAiEndpointValue
output AZURE_OPENAI_DEPLOYMENT string = soraDeployment
output SORA_API string = soraApi
// The account the app's role is on, kept so the next provision grants it there again; empty when none was named.
output AZURE_OPENAI_RESOURCE_ID string = createOpenAi || hasOpenAiId ? openAiAccess.outputs.id : ''
// false: grant the app's identity (AZURE_MANAGED_IDENTITY_PRINCIPAL_ID) Cognitive Services User yourself (infra/README.md).
output AZURE_OPENAI_ROLE_ASSIGNED bool = createOpenAi || (hasOpenAiId && assignOpenAiRole)
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = apiUserAssignedIdentity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = apiUserAssignedIdentity.outputs.principalId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output DURABLE_TASK_BACKEND string = durableTaskBackend
output BATCH_FILES_SYSTEM_TOPIC_NAME string = batchFilesTopic.outputs.name
