/**
 * The files the infrastructure checks read, as text keyed by repository path,
 * so a test can hand the checks an altered copy without touching the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type InfraSources = Readonly<Record<string, string>>;

export const PATHS = {
  main: 'infra/main.bicep',
  parameters: 'infra/main.parameters.json',
  openAi: 'infra/app/openai.bicep',
  localSettings: 'local.settings.json.example',
  host: 'host.json',
  schedulerHost: 'infra/host.durable-task-scheduler.json',
  azureYaml: 'azure.yaml',
  api: 'infra/app/api.bicep',
  vnet: 'infra/app/vnet.bicep',
  packageJson: 'package.json',
} as const;

/** Every infra/**\/*.bicep file plus the other files in PATHS. */
export function readInfraSources(root: string): InfraSources {
  const bicep = readdirSync(join(root, 'infra'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.bicep'))
    .map((file) => `infra/${file.split('\\').join('/')}`);
  const paths = [...new Set([...bicep, ...Object.values(PATHS)])];
  return Object.fromEntries(paths.map((path) => [path, readFileSync(join(root, path), 'utf8')]));
}

/** A copy with one exact piece of text replaced; throws if it is not there, so an edit can't silently miss. */
export function withEdit(sources: InfraSources, path: string, from: string, to: string): InfraSources {
  const text = sources[path];
  if (text?.includes(from) !== true) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  return { ...sources, [path]: text.replace(from, to) };
}

export function bicepFiles(sources: InfraSources): [path: string, text: string][] {
  return Object.entries(sources).filter(([path]) => path.endsWith('.bicep'));
}

export function source(sources: InfraSources, path: string): string {
  const text = sources[path];
  if (text === undefined) throw new Error(`missing ${path}`);
  return text;
}
