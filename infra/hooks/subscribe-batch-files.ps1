# azd postdeploy hook (Windows): the same as subscribe-batch-files.sh — subscribes
# the function app's Event Grid blob trigger (startBatchFile) once the code is
# deployed, because Event Grid validates the webhook at creation and the
# blobs_extension key only exists then. Needs the Azure CLI, signed in.
$ErrorActionPreference = 'Stop'
$app = $env:AZURE_FUNCTION_NAME
$group = $env:AZURE_RESOURCE_GROUP
$topic = $env:BATCH_FILES_SYSTEM_TOPIC_NAME
if (-not $app -or -not $group -or -not $topic) { throw 'Run through azd: AZURE_FUNCTION_NAME, AZURE_RESOURCE_GROUP and BATCH_FILES_SYSTEM_TOPIC_NAME are outputs of infra/main.bicep.' }

$key = ''
for ($attempt = 1; $attempt -le 10 -and -not $key; $attempt++) {
  $key = az functionapp keys list --name $app --resource-group $group --query 'systemKeys.blobs_extension' --output tsv 2>$null
  if (-not $key) { Write-Host "Waiting for the blobs_extension key of $app (attempt $attempt)..."; Start-Sleep -Seconds 15 }
}
if (-not $key) { throw "The function app $app has no blobs_extension key: is startBatchFile deployed?" }

$hostName = az functionapp show --name $app --resource-group $group --query defaultHostName --output tsv
az deployment group create --resource-group $group --name batch-files-subscription `
  --template-file infra/app/blob-events-subscription.bicep `
  --parameters systemTopicName=$topic functionAppHostName=$hostName functionName=startBatchFile containerName=video-requests blobsExtensionKey=$key `
  --output none
if ($LASTEXITCODE -ne 0) { throw 'The subscription deployment failed.' }
Write-Host "Blob-created events of video-requests/*.jsonl now reach $app."
