// Deployed into the Azure OpenAI (or Foundry) account's own resource group, new
// or existing: grants the app Cognitive Services User there and reports the
// account's endpoint and id.
//
// Why Cognitive Services User and not Cognitive Services OpenAI User: Microsoft
// Learn's video generation quickstart prescribes Cognitive Services User for
// keyless calls, and the OpenAI User role's data actions are an explicit list
// (OpenAI/*/read plus completions, chat, embeddings, audio, realtime, images
// and assistants actions) with no video generation action and no write or
// delete, which creating, cancelling and deleting video jobs need.
// Cognitive Services User grants the data actions Microsoft.CognitiveServices/*
// (and, on the control plane, listKeys, which yields nothing on an account with
// local auth disabled, as a new one is). It is the only role the app gets on
// the account, scoped to the account alone.
param accountName string
@description('False when the deployer may not assign roles on an existing account; see infra/README.md.')
param assignRoles bool
param managedIdentityPrincipalId string
param userIdentityPrincipalId string = ''
param userIdentityPrincipalType string = 'User'

var cognitiveServicesUserRoleId = 'a97b65f3-24c7-4388-baec-2e87135dc908'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource appOpenAiRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignRoles) {
  name: guid(account.id, managedIdentityPrincipalId, cognitiveServicesUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesUserRoleId)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource userOpenAiRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignRoles && !empty(userIdentityPrincipalId)) {
  name: guid(account.id, userIdentityPrincipalId, cognitiveServicesUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesUserRoleId)
    principalId: userIdentityPrincipalId
    principalType: userIdentityPrincipalType
  }
}

output endpoint string = account.properties.endpoint
output id string = account.id
