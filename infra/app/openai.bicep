// A new Azure OpenAI account with one video deployment, only ever of the model
// and version the user named (main.bicep has no default for either: a retired
// version fails to deploy or answers 410 Gone). Keys are disabled: callers
// authenticate with Entra ID, which needs the custom subdomain.
param name string
param location string
param tags object = {}
param deploymentName string
@minLength(1)
param modelName string
@minLength(1)
param modelVersion string
param skuName string
@minValue(1)
param capacity int

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource videoDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
  }
}

output name string = account.name
