// Deployed into the Azure OpenAI account's own resource group (new or
// existing): grants Cognitive Services OpenAI User there and reports the
// endpoint the app calls.
param accountName string
@description('False when the deployer may not assign roles on an existing account; see infra/README.md.')
param assignRoles bool
param managedIdentityPrincipalId string
param userIdentityPrincipalId string = ''
param userIdentityPrincipalType string = 'User'

var cognitiveServicesOpenAiUserRoleId = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource appOpenAiRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignRoles) {
  name: guid(account.id, managedIdentityPrincipalId, cognitiveServicesOpenAiUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUserRoleId)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource userOpenAiRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignRoles && !empty(userIdentityPrincipalId)) {
  name: guid(account.id, userIdentityPrincipalId, cognitiveServicesOpenAiUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUserRoleId)
    principalId: userIdentityPrincipalId
    principalType: userIdentityPrincipalType
  }
}

output endpoint string = account.properties.endpoint
