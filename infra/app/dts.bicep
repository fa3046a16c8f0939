// The Durable Task Scheduler backend: a scheduler, the app's task hub, and
// Durable Task Data Contributor for the app's identity (and for the developer,
// which also opens the scheduler's dashboard to them).
param name string
param taskHubName string
param location string
param tags object = {}
param managedIdentityPrincipalId string
param userIdentityPrincipalId string = ''
param userIdentityPrincipalType string = 'User'

var durableTaskDataContributorRoleId = '0ad04412-c4d5-4796-b79c-f76d14c8d402'

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    // An empty list denies all traffic; access is still gated by Entra ID and the role below.
    ipAllowlist: [
      '0.0.0.0/0'
    ]
    sku: {
      name: 'Consumption'
    }
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

resource appDurableTaskRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(scheduler.id, managedIdentityPrincipalId, durableTaskDataContributorRoleId)
  scope: scheduler
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', durableTaskDataContributorRoleId)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource userDurableTaskRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userIdentityPrincipalId)) {
  name: guid(scheduler.id, userIdentityPrincipalId, durableTaskDataContributorRoleId)
  scope: scheduler
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', durableTaskDataContributorRoleId)
    principalId: userIdentityPrincipalId
    principalType: userIdentityPrincipalType
  }
}

output endpoint string = scheduler.properties.endpoint
