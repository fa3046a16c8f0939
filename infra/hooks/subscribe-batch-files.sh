#!/bin/sh
# azd postdeploy hook: subscribes the function app's Event Grid blob trigger
# (startBatchFile) to blob-created events of the batch files container. It runs
# after the code is deployed because Event Grid validates the webhook when the
# subscription is created, and the blob extension's endpoint and its
# blobs_extension system key only exist once the functions are there. Needs the
# Azure CLI, signed in (az login) to the subscription azd deployed to.
# Idempotent: the deployment updates the subscription in place.
set -eu

app="${AZURE_FUNCTION_NAME:?run through azd: AZURE_FUNCTION_NAME is an output of infra/main.bicep}"
group="${AZURE_RESOURCE_GROUP:?run through azd}"
topic="${BATCH_FILES_SYSTEM_TOPIC_NAME:?run through azd}"

key=""
# The system key appears once the host has indexed the blob trigger, shortly after a deployment.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  key="$(az functionapp keys list --name "$app" --resource-group "$group" --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)"
  [ -n "$key" ] && break
  echo "Waiting for the blobs_extension key of $app (attempt $attempt)..."
  sleep 15
done
[ -n "$key" ] || { echo "The function app $app has no blobs_extension key: is startBatchFile deployed?" >&2; exit 1; }

az deployment group create \
  --resource-group "$group" \
  --name batch-files-subscription \
  --template-file infra/app/blob-events-subscription.bicep \
  --parameters systemTopicName="$topic" functionAppHostName="$(az functionapp show --name "$app" --resource-group "$group" --query defaultHostName --output tsv)" \
    functionName=startBatchFile containerName=video-requests blobsExtensionKey="$key" \
  --output none
echo "Blob-created events of video-requests/*.jsonl now reach $app."
