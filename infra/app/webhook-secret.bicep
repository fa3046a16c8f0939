// The key that signs webhooks (WEBHOOK_SECRET), kept in Key Vault: the app
// setting holds only a Key Vault reference, which the platform resolves with
// the app's identity. So the key sits in no app setting, no module parameter
// and no deployment history — only this secure parameter carries it, once.
param name string
param location string = resourceGroup().location
param tags object = {}
@secure()
@description('whsec_ followed by the base64 of 24–64 random bytes.')
param webhookSecret string
param managedIdentityPrincipalId string

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// RBAC only (no access policies); purge protection off so azd down can remove it.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'webhook-secret'
  properties: {
    value: webhookSecret
    contentType: 'Standard Webhooks signing key (whsec_...)'
  }
}

// Read access to this one secret, nothing else in the vault.
resource appReadsSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(secret.id, managedIdentityPrincipalId, keyVaultSecretsUserRoleId)
  scope: secret
  properties: {
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
  }
}

// Versionless: a rotated secret is picked up without redeploying.
output secretUri string = '${vault.properties.vaultUri}secrets/${secret.name}'
