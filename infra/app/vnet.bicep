// The VNet for the vnetEnabled option: one subnet for private endpoints, one
// for the function app's VNet integration. Flex Consumption integrates through
// a subnet delegated to Microsoft.App/environments (Microsoft.Web/serverFarms
// is the delegation of the older plans, which a Flex app cannot use).
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
        delegation: 'Microsoft.App/environments'
      }
    ]
  }
}

output peSubnetName string = peSubnetName
output appSubnetID string = '${virtualNetwork.outputs.resourceId}/subnets/${appSubnetName}'
