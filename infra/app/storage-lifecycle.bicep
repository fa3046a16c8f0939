// Lifecycle rules: uploaded inputs are only needed while Sora reads them;
// stored videos are kept for a chosen number of days; the submission ledger
// and job claims only matter while a request runs and its Sora jobs exist
// (Sora keeps them about a day). Storage runs the policy about once a day, so
// a blob can outlive its limit by up to a day.
param storageAccountName string
param inputsContainerName string
param videosContainerName string
param ledgerContainerName string
@minValue(1)
param videoRetentionDays int

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'deleteInputsAfterOneDay'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${inputsContainerName}/' ]
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: 1 }
              }
            }
          }
        }
        {
          name: 'deleteVideosAfterRetention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${videosContainerName}/' ]
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: videoRetentionDays }
              }
            }
          }
        }
        {
          name: 'deleteLedgerAfterSevenDays'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${ledgerContainerName}/' ]
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: 7 }
              }
            }
          }
        }
      ]
    }
  }
}
