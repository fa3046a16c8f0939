// The Event Grid system topic of the storage account: where its blob-created
// events come from. The subscription that sends them to the function app's
// blob extension is deployed after the code (blob-events-subscription.bicep,
// run by the postdeploy hook in infra/hooks/): Event Grid checks a webhook
// when the subscription is created, and that endpoint and its key only exist
// once the app's functions are deployed.
param name string
param location string
param tags object = {}
param storageAccountName string

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = systemTopic.name
