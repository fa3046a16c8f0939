// The Flex Consumption function app, as in the Azure-Samples quickstarts,
// with every connection made by the user-assigned identity.
param name string
param location string = resourceGroup().location
param tags object = {}
param applicationInsightsName string
param appServicePlanId string
@description('The app\'s own settings; host-level ones are added here.')
param appSettings object
param runtimeName string
param runtimeVersion string
param serviceName string = 'api'
param storageAccountName string
param deploymentStorageContainerName string
param virtualNetworkSubnetId string = ''
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100
param identityId string
param identityClientId string

resource stg 'Microsoft.Storage/storageAccounts@2022-09-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The host's storage (keys, leases and, on the Azure Storage backend, Durable
// Functions' queues and tables) by identity: the Functions identity convention.
var hostStorageSettings = {
  AzureWebJobsStorage__blobServiceUri: stg.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: stg.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: stg.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
}

// The videos (and the request index table) live in the same account; the same
// convention, under the connection name the app reads (VideoStorage), which
// the queue starter's trigger and the batch files blob trigger use too (a
// blob trigger's identity connection also needs the queue service, for the
// host's poison queue). __credential makes the group a valid Functions connection.
var videoStorageSettings = {
  VideoStorage__blobServiceUri: stg.properties.primaryEndpoints.blob
  // The queue starter's trigger, the results queue (src/storage/queue-service.ts) and the blob trigger's poison queue.
  VideoStorage__queueServiceUri: stg.properties.primaryEndpoints.queue
  VideoStorage__tableServiceUri: stg.properties.primaryEndpoints.table
  VideoStorage__credential: 'managedidentity'
  VideoStorage__clientId: identityClientId
}

// The connection string only locates the resource; with local auth disabled on
// the component, ingestion needs the Entra token this identity gets.
var monitoringSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

module api 'br/public:avm/res/web/site:0.15.1' = {
  name: '${serviceName}-flex-consumption'
  params: {
    kind: 'functionapp,linux'
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': serviceName })
    serverFarmResourceId: appServicePlanId
    managedIdentities: {
      systemAssigned: false
      userAssignedResourceIds: [
        identityId
      ]
    }
    // Flex Consumption takes the runtime from here; FUNCTIONS_WORKER_RUNTIME is not an allowed app setting on this plan.
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${stg.properties.primaryEndpoints.blob}${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
    siteConfig: {
      alwaysOn: false
    }
    // Key Vault references in app settings (WEBHOOK_SECRET) resolve with this identity; the app has no other.
    keyVaultAccessIdentityResourceId: identityId
    virtualNetworkSubnetId: !empty(virtualNetworkSubnetId) ? virtualNetworkSubnetId : null
    appSettingsKeyValuePairs: union(appSettings, hostStorageSettings, videoStorageSettings, monitoringSettings)
  }
}

output name string = api.outputs.name
output url string = 'https://${api.outputs.defaultHostname}'
output blobEndpoint string = stg.properties.primaryEndpoints.blob
