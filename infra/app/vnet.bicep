// The VNet for the vnetEnabled option, as in the Azure-Samples quickstarts:
// one subnet for private endpoints, one delegated to the Flex Consumption app.
param vNetName string
param location string = resourceGroup().location
param peSubnetName string = 'private-endpoints-subnet'
param appSubnetName string = 'app'
param tags object = {}

module virtualNetwork 'br/public:avm/res/network/virtual-network:0.6.1' = {
  name: 'vnet-deployment'
  params: {
    name: vNetName
    addressPrefixes: [
      '10.0.0.0/16'
    ]
    location: location
    tags: tags
    subnets: [
      {
        name: peSubnetName
        addressPrefix: '10.0.1.0/24'
        privateEndpointNetworkPolicies: 'Disabled'
        privateLinkServiceNetworkPolicies: 'Enabled'
      }
      {
        name: appSubnetName
        addressPrefix: '10.0.2.0/24'
        privateEndpointNetworkPolicies: 'Disabled'
        privateLinkServiceNetworkPolicies: 'Enabled'
        delegation: 'Microsoft.Web/serverFarms'
      }
    ]
  }
}

output peSubnetName string = peSubnetName
output appSubnetID string = '${virtualNetwork.outputs.resourceId}/subnets/${appSubnetName}'
