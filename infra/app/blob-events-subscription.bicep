// Sends blob-created events of the batch files container to the function
// app's Event Grid blob trigger (startBatchFile), through the blob extension's
// webhook. Deployed by the postdeploy hook (infra/hooks/), not by `azd
// provision`: Event Grid validates the webhook when the subscription is
// created, so the function must already be deployed, and the endpoint's
// blobs_extension system key only exists from then on. The hook reads that key
// with the Azure CLI and passes it here as a secure parameter.
param systemTopicName string
param functionAppHostName string
@description('The trigger function, as src/names.ts FUNCTIONS.startBatchFile.')
param functionName string
@description('The container files are dropped into, as src/names.ts BATCH_FILES_CONTAINER.')
param containerName string
@secure()
@description('The function app\'s blobs_extension system key (az functionapp keys list).')
param blobsExtensionKey string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: systemTopicName
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: systemTopic
  name: 'batch-files-to-${toLower(functionName)}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionAppHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    // Only new JSON Lines files in the container: other blobs there start nothing.
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/blobs/'
      subjectEndsWith: '.jsonl'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
