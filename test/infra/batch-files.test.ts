/**
 * infra/ against the code for batch files: the container the blob trigger
 * watches, the Event Grid system topic, and the subscription the postdeploy
 * hooks deploy once the code is there (batch-files-checks.ts). The second
 * half shows each check fails on an altered copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_FILES_CONTAINER, FUNCTIONS } from '../../src/names';
import { BATCH_FILES_PATHS, batchFilesProblems, type BatchFilesSources } from './batch-files-checks';

const ROOT = join(import.meta.dirname, '..', '..');
const sources: BatchFilesSources = Object.fromEntries(Object.values(BATCH_FILES_PATHS).map((path) => [path, readFileSync(join(ROOT, path), 'utf8')]));
const RULE = { container: BATCH_FILES_CONTAINER, functionName: FUNCTIONS.startBatchFile };

function edited(path: string, from: string, to: string): BatchFilesSources {
  const text = sources[path] ?? '';
  if (!text.includes(from)) throw new Error(`${path} does not contain ${from}`);
  return { ...sources, [path]: text.replace(from, to) };
}

describe('batch files in infra/', () => {
  it('creates the container, the system topic, and a subscription for the trigger after deploy', () => {
    expect(batchFilesProblems(sources, RULE)).toEqual([]);
  });

  it.each([
    ['a renamed container', BATCH_FILES_PATHS.main, "var batchFilesContainerName = 'video-requests'", "var batchFilesContainerName = 'requests'", 'batchFilesContainerName is requests, not video-requests'],
    ['no .jsonl filter', BATCH_FILES_PATHS.subscription, "subjectEndsWith: '.jsonl'", "subjectEndsWith: '.json'", 'the subscription does not filter .jsonl blobs'],
    ['a plain key parameter', BATCH_FILES_PATHS.subscription, '@secure()\n', '', 'blobsExtensionKey is not @secure()'],
    ['another function subscribed', BATCH_FILES_PATHS.hookSh, 'functionName=startBatchFile', 'functionName=startVideo', 'infra/hooks/subscribe-batch-files.sh does not subscribe function startBatchFile'],
    ['no postdeploy hook', BATCH_FILES_PATHS.azureYaml, 'postdeploy:', 'predeploy:', 'azure.yaml does not run the subscription hooks after deploy'],
  ])('fails on %s', (_, path, from, to, problem) => {
    expect(batchFilesProblems(edited(path, from, to), RULE)).toContain(problem);
  });
});
