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

@allowed([
  'jobs'
  'videos'
])
@description('Which Sora API the app speaks: jobs (Sora, model sora) or videos (Sora 2, model sora-2).')
param soraApi string = 'jobs'

@description('Use this existing Azure OpenAI account instead of creating one. Empty: create a new account with a Sora deployment.')
param existingOpenAiAccountName string = ''

@description('Resource group of the existing Azure OpenAI account.')
param existingOpenAiResourceGroupName string = ''

@description('Subscription of the existing Azure OpenAI account.')
param existingOpenAiSubscriptionId string = subscription().subscriptionId

@description('Grant the app (and principalId) Cognitive Services OpenAI User on the existing account. Needs Owner or User Access Administrator there; set false and assign it by hand otherwise.')
param assignExistingOpenAiRole bool = true

@description('Name (and custom subdomain) of the new Azure OpenAI account.')
param openAiAccountName string = ''

@description('Region of the new Azure OpenAI account: one that offers the Sora model chosen.')
param openAiLocation string = 'eastus2'

@description('Sora deployment name the app calls. Empty: the model name.')
param soraDeploymentName string = ''

@description('Model of the new Sora deployment. Empty: sora for the jobs API, sora-2 for the videos API.')
param soraModelName string = ''

@description('Model version of the new Sora deployment. Empty: the version that matches the default model.')
param soraModelVersion string = ''

@description('SKU of the new Sora deployment.')
param soraDeploymentSkuName string = 'GlobalStandard'

@minValue(1)
@description('Capacity of the new Sora deployment.')
param soraDeploymentCapacity int = 1

@allowed([
  'AzureStorage'
  'DurableTaskScheduler'
])
@description('Durable Functions backend. DurableTaskScheduler also needs infra/host.durable-task-scheduler.json deployed as host.json (see infra/README.md).')
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

// One model per Sora API; the versions are the ones Azure OpenAI lists for Global Standard.
var soraModelDefaults = {
  jobs: { model: 'sora', version: '2025-05-02' }
  videos: { model: 'sora-2', version: '2025-10-06' }
}
var soraModel = !empty(soraModelName) ? soraModelName : soraModelDefaults[soraApi].model
var soraVersion = !empty(soraModelVersion) ? soraModelVersion : soraModelDefaults[soraApi].version
var soraDeployment = !empty(soraDeploymentName) ? soraDeploymentName : soraModel

var createOpenAi = empty(existingOpenAiAccountName)
var openAiName = createOpenAi
  ? (!empty(openAiAccountName) ? openAiAccountName : '${abbrs.cognitiveServicesAccounts}${resourceToken}')
  : existingOpenAiAccountName

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
    AZURE_OPENAI_ENDPOINT: openAiAccess.outputs.endpoint
    AZURE_OPENAI_DEPLOYMENT: soraDeployment
    // One Sora deployment is provisioned: it serves the API that SORA_API names.
    AZURE_OPENAI_JOBS_DEPLOYMENT: soraApi == 'jobs' ? soraDeployment : ''
    AZURE_OPENAI_VIDEOS_DEPLOYMENT: soraApi == 'videos' ? soraDeployment : ''
    AZURE_OPENAI_SCOPE: 'https://cognitiveservices.azure.com/.default'
    AZURE_OPENAI_API_VERSION: 'preview'
    SORA_API: soraApi
    SORA_REQUEST_TIMEOUT_SECONDS: '30'
    VIDEOS_CONTAINER: videosContainerName
    INPUTS_CONTAINER: inputsContainerName
    LEDGER_CONTAINER: ledgerContainerName
    POLL_MIN_SECONDS: '5'
    POLL_MAX_SECONDS: '60'
    JOB_DEADLINE_MINUTES: '30'
    LINK_TTL_MINUTES: '60'
    STORE_BLOCK_SIZE_MIB: '8'
    STORE_CONCURRENCY: '4'
    INPUT_MAX_IMAGE_MIB: '25'
    INPUT_MAX_VIDEO_MIB: '200'
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
    blobServices: {
      containers: [
        { name: deploymentStorageContainerName }
        { name: videosContainerName }
        { name: inputsContainerName }
        { name: ledgerContainerName }
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

module openAi './app/openai.bicep' = if (createOpenAi) {
  name: 'openai'
  scope: rg
  params: {
    name: openAiName
    location: openAiLocation
    tags: tags
    deploymentName: soraDeployment
    modelName: soraModel
    modelVersion: soraVersion
    skuName: soraDeploymentSkuName
    capacity: soraDeploymentCapacity
  }
}

// Runs in the account's own resource group, so an existing account elsewhere gets the role too.
module openAiAccess './app/openai-access.bicep' = {
  name: 'openaiAccess'
  scope: resourceGroup(
    createOpenAi ? subscription().subscriptionId : existingOpenAiSubscriptionId,
    createOpenAi ? rg.name : existingOpenAiResourceGroupName
  )
  params: {
    accountName: openAiName
    assignRoles: createOpenAi || assignExistingOpenAiRole
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
output AZURE_OPENAI_ENDPOINT string = openAiAccess.outputs.endpoint
output AZURE_OPENAI_DEPLOYMENT string = soraDeployment
output SORA_API string = soraApi
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = apiUserAssignedIdentity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = apiUserAssignedIdentity.outputs.principalId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output DURABLE_TASK_BACKEND string = durableTaskBackend
