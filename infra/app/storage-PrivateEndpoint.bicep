// Private endpoints and private DNS zones for the storage account's blob,
// queue and table services (all three are used: the host and the videos use
// blob, Durable Functions on the Azure Storage backend uses queue and table).
param virtualNetworkName string
param subnetName string
@description('Name of the storage account.')
param resourceName string
param location string = resourceGroup().location
param tags object = {}

var services = [
  'blob'
  'queue'
  'table'
]

resource vnet 'Microsoft.Network/virtualNetworks@2021-08-01' existing = {
  name: virtualNetworkName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2021-09-01' existing = {
  name: resourceName
}

module privateDnsZones 'br/public:avm/res/network/private-dns-zone:0.7.1' = [
  for service in services: {
    name: '${service}-private-dns-zone-deployment'
    params: {
      name: 'privatelink.${service}.${environment().suffixes.storage}'
      location: 'global'
      tags: tags
      virtualNetworkLinks: [
        {
          name: '${resourceName}-${service}-link-${take(toLower(uniqueString(resourceName, virtualNetworkName)), 4)}'
          virtualNetworkResourceId: vnet.id
          registrationEnabled: false
          location: 'global'
          tags: tags
        }
      ]
    }
  }
]

module privateEndpoints 'br/public:avm/res/network/private-endpoint:0.9.1' = [
  for (service, i) in services: {
    name: '${service}-private-endpoint-deployment'
    params: {
      name: '${service}-private-endpoint'
      location: location
      tags: tags
      subnetResourceId: '${vnet.id}/subnets/${subnetName}'
      privateLinkServiceConnections: [
        {
          name: '${service}PrivateLinkConnection'
          properties: {
            privateLinkServiceId: storageAccount.id
            groupIds: [
              service
            ]
          }
        }
      ]
      customDnsConfigs: []
      privateDnsZoneGroup: {
        name: '${service}PrivateDnsZoneGroup'
        privateDnsZoneGroupConfigs: [
          {
            name: 'storage${service}ARecord'
            privateDnsZoneResourceId: privateDnsZones[i].outputs.resourceId
          }
        ]
      }
    }
  }
]
