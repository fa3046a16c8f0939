/**
 * Checks that hold infra/ (and the files it must agree with) against the
 * app's code. Each returns a list of problems, empty when all is well, and
 * reads only the sources it is given.
 */
import { bicepFiles, PATHS, source, type InfraSources } from './infra-sources';
import { literalValues, moduleCalls, objectKeys, params, roleAssignments, stripComments } from './bicep-source';

/** The parameter through which every module receives the app identity's principal id. */
export const APP_PRINCIPAL = 'managedIdentityPrincipalId';
/** …and the one through which they receive the deploying developer's. */
export const USER_PRINCIPAL = 'userIdentityPrincipalId';
/** What main.bicep must bind APP_PRINCIPAL to: the function app's user-assigned identity. */
export const APP_IDENTITY_PRINCIPAL = 'apiUserAssignedIdentity.outputs.principalId';

/** Names set as keys anywhere in the Bicep (app settings are object keys). */
function infraKeys(sources: InfraSources): Set<string> {
  return new Set(bicepFiles(sources).flatMap(([, text]) => [...objectKeys(text)]));
}

function localSettingNames(sources: InfraSources): Set<string> {
  const parsed = JSON.parse(source(sources, PATHS.localSettings)) as { Values?: Record<string, string> };
  return new Set(Object.keys(parsed.Values ?? {}));
}

export function settingsMissingFromInfra(sources: InfraSources, names: readonly string[]): string[] {
  const keys = infraKeys(sources);
  return names.filter((name) => !keys.has(name)).map((name) => `${name} is not set by infra/`);
}

export function settingsMissingFromLocalExample(sources: InfraSources, names: readonly string[]): string[] {
  const local = localSettingNames(sources);
  return names.filter((name) => !local.has(name)).map((name) => `${name} is missing from ${PATHS.localSettings}`);
}

export function settingsThatMustStayLocal(sources: InfraSources, names: readonly string[]): string[] {
  const keys = infraKeys(sources);
  return names.filter((name) => keys.has(name)).map((name) => `${name} is local-only but infra/ sets it`);
}

/**
 * A connection by identity (the Functions convention): `NAME__<service>ServiceUri`
 * for each service, `NAME__credential` and `NAME__clientId`, and never `NAME`
 * itself, which would be a connection string.
 */
export function identityConnectionProblems(sources: InfraSources, name: string, services: readonly string[]): string[] {
  const keys = infraKeys(sources);
  const needed = [...services.map((s) => `${name}__${s}ServiceUri`), `${name}__credential`, `${name}__clientId`];
  const problems = needed.filter((key) => !keys.has(key)).map((key) => `${key} is not set by infra/`);
  if (keys.has(name)) problems.push(`${name} is set as a connection string; use ${name}__* with the managed identity`);
  return problems;
}

/** Every %SETTING% and connection name host.json (and its scheduler variant) refers to is set by infra/. */
export function hostReferencesUnset(sources: InfraSources): string[] {
  const keys = infraKeys(sources);
  const problems: string[] = [];
  for (const path of [PATHS.host, PATHS.schedulerHost]) {
    const text = source(sources, path);
    const provider = storageProvider(text);
    const references = [...text.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)].map((m) => m[1] ?? '');
    if (typeof provider.connectionStringName === 'string') references.push(provider.connectionStringName);
    for (const name of references.filter((n) => !keys.has(n))) problems.push(`${path} refers to ${name}, which infra/ does not set`);
    // A connectionName is an identity-based connection: its settings carry the __ suffixes.
    const connection = provider.connectionName;
    if (typeof connection === 'string' && ![...keys].some((k) => k.startsWith(`${connection}__`))) {
      problems.push(`${path} uses connection ${connection}, which infra/ does not set`);
    }
  }
  return problems;
}

function storageProvider(hostJson: string): Record<string, unknown> {
  const host = JSON.parse(hostJson) as { extensions?: { durableTask?: { storageProvider?: Record<string, unknown> } } };
  return host.extensions?.durableTask?.storageProvider ?? {};
}

/** The literal values infra/ gives app settings must pass the app's own parsing (`validate` throws if not). */
export function literalSettingsRejected(
  sources: InfraSources,
  names: readonly string[],
  baseEnv: Record<string, string>,
  validate: (env: Record<string, string>) => unknown,
): string[] {
  const literals = new Map(bicepFiles(sources).flatMap(([, text]) => [...literalValues(text)]));
  const env = { ...baseEnv, ...Object.fromEntries(names.flatMap((n) => (literals.has(n) ? [[n, literals.get(n) ?? '']] : []))) };
  try {
    validate(env);
    return [];
  } catch (error) {
    return [`the values infra/ sets are rejected by the app: ${String(error)}`];
  }
}

/** Each role (name → role definition GUID) is assigned to `principal` in some roleAssignments resource. */
export function missingRoleAssignments(sources: InfraSources, roles: Record<string, string>, principal: string): string[] {
  const assignments = bicepFiles(sources).flatMap(([, text]) => roleAssignments(text));
  const granted = new Set(assignments.filter((a) => a.principal === principal).flatMap((a) => a.roleIds));
  return Object.entries(roles)
    .filter(([, id]) => !granted.has(id.toLowerCase()))
    .map(([name, id]) => `${name} (${id}) is not assigned to ${principal}`);
}

/**
 * Every module main.bicep calls that grants roles to APP_PRINCIPAL gets the
 * app's identity there, so the roles land on the identity the app runs as.
 */
export function appPrincipalBindingProblems(sources: InfraSources): string[] {
  const granting = new Set(
    bicepFiles(sources)
      .filter(([, text]) => roleAssignments(text).some((a) => a.principal === APP_PRINCIPAL))
      .map(([path]) => path),
  );
  const calls = moduleCalls(source(sources, PATHS.main)).map((call) => ({ ...call, file: `infra/${call.path.replace(/^\.\//, '')}` }));
  const problems = [...granting]
    .filter((file) => !calls.some((call) => call.file === file))
    .map((file) => `${file} assigns roles but ${PATHS.main} never deploys it`);
  for (const call of calls.filter((c) => granting.has(c.file))) {
    const bound = new RegExp(`${APP_PRINCIPAL}:\\s*([\\w.]+)`).exec(call.body)?.[1];
    if (bound !== APP_IDENTITY_PRINCIPAL) problems.push(`module ${call.name} binds ${APP_PRINCIPAL} to ${bound ?? 'nothing'}, not ${APP_IDENTITY_PRINCIPAL}`);
  }
  return problems;
}

/**
 * The containers infra/ creates and names in app settings are the app's
 * defaults: `settingToVar` maps each setting (VIDEOS_CONTAINER) to the
 * main.bicep variable that holds its name, `defaults` to the code's default.
 */
export function containerProblems(sources: InfraSources, settingToVar: Record<string, string>, defaults: Record<string, string>): string[] {
  const main = stripComments(source(sources, PATHS.main));
  const problems: string[] = [];
  for (const [setting, variable] of Object.entries(settingToVar)) {
    const value = new RegExp(`^var\\s+${variable}\\s*=\\s*'([^']*)'`, 'm').exec(main)?.[1];
    if (value !== defaults[setting]) problems.push(`${variable} is ${String(value)} but the app's default ${setting} is ${String(defaults[setting])}`);
    if (!new RegExp(`\\b${setting}:\\s*${variable}\\b`).test(main)) problems.push(`${setting} is not set to ${variable}`);
    if (!new RegExp(`\\{\\s*name:\\s*${variable}\\s*\\}`).test(main)) problems.push(`no blob container is created from ${variable}`);
  }
  return problems;
}

const SECRET_NAME = /key|secret|password|connectionstring|token|sas/i;

/** Parameters whose names suggest a secret must be @secure(), so ARM neither logs nor returns them. */
export function plainSecretParams(sources: InfraSources): string[] {
  return bicepFiles(sources).flatMap(([path, text]) =>
    params(text)
      .filter((p) => SECRET_NAME.test(p.name) && !p.decorators.some((d) => d.startsWith('@secure()')))
      .map((p) => `${path}: param ${p.name} looks like a secret but is not @secure()`),
  );
}

const SHARED_KEY_MARKERS = ['listKeys(', 'listSecrets(', 'listAccountSas(', 'listServiceSas(', 'AccountKey=', 'SharedAccessKey=', 'SharedAccessSignature=', 'DefaultEndpointsProtocol='];

/** No key is read from a resource or written into a setting, and storage refuses shared keys. */
export function sharedKeyProblems(sources: InfraSources): string[] {
  const problems = bicepFiles(sources).flatMap(([path, text]) =>
    SHARED_KEY_MARKERS.filter((marker) => stripComments(text).includes(marker)).map((marker) => `${path} uses ${marker}`),
  );
  const all = bicepFiles(sources).map(([, text]) => stripComments(text)).join('\n');
  if (/allowSharedKeyAccess:\s*true/.test(all)) problems.push('a storage account allows shared key access');
  if (!/allowSharedKeyAccess:\s*false/.test(stripComments(source(sources, PATHS.main)))) problems.push(`${PATHS.main} does not set allowSharedKeyAccess: false`);
  return problems;
}

/** Azure OpenAI and Application Insights accept Entra ID only. */
export function localAuthProblems(sources: InfraSources): string[] {
  const problems: string[] = [];
  if (!/disableLocalAuth:\s*true/.test(stripComments(source(sources, PATHS.openAi)))) problems.push(`${PATHS.openAi} does not set disableLocalAuth: true`);
  const main = moduleCalls(source(sources, PATHS.main));
  const insights = main.filter((m) => m.path.includes('avm/res/insights/component'));
  if (insights.length === 0 || insights.some((m) => !/disableLocalAuth:\s*true/.test(m.body))) {
    problems.push('Application Insights does not set disableLocalAuth: true');
  }
  return problems;
}

/** The scheduler variant of host.json is host.json with only the storage provider swapped. */
export function schedulerHostDrift(sources: InfraSources): string[] {
  const host = JSON.parse(source(sources, PATHS.host)) as Record<string, unknown>;
  const scheduler = JSON.parse(source(sources, PATHS.schedulerHost)) as Record<string, unknown>;
  const problems: string[] = [];
  const provider = storageProvider(JSON.stringify(scheduler));
  if (provider.type !== 'azureManaged') problems.push(`${PATHS.schedulerHost} storage provider type is ${String(provider.type)}, not azureManaged`);
  const withoutProvider = (json: Record<string, unknown>): string =>
    JSON.stringify(json, (key, value: unknown) => (key === 'storageProvider' ? undefined : value));
  if (withoutProvider(host) !== withoutProvider(scheduler)) problems.push(`${PATHS.schedulerHost} differs from ${PATHS.host} beyond the storage provider`);
  return problems;
}

/** main.parameters.json names only real parameters and supplies every one without a default. */
export function parameterFileProblems(sources: InfraSources): string[] {
  const declared = params(source(sources, PATHS.main));
  const file = JSON.parse(source(sources, PATHS.parameters)) as { parameters: Record<string, unknown> };
  const supplied = Object.keys(file.parameters);
  return [
    ...supplied.filter((name) => !declared.some((p) => p.name === name)).map((name) => `${PATHS.parameters} sets ${name}, which ${PATHS.main} does not declare`),
    ...declared.filter((p) => !p.hasDefault && !supplied.includes(p.name)).map((p) => `${PATHS.main} param ${p.name} has no default and no value in ${PATHS.parameters}`),
  ];
}

/** Flex Consumption takes the worker runtime from functionAppConfig, not from an app setting. */
export function runtimeProblems(sources: InfraSources, runtimeSetting: string): string[] {
  const parsed = JSON.parse(source(sources, PATHS.localSettings)) as { Values?: Record<string, string> };
  const runtime = parsed.Values?.[runtimeSetting];
  const problems: string[] = [];
  if (!new RegExp(`runtimeName:\\s*'${runtime ?? ''}'`).test(stripComments(source(sources, PATHS.main)))) {
    problems.push(`${PATHS.main} does not deploy the ${String(runtime)} runtime that ${PATHS.localSettings} names`);
  }
  if (infraKeys(sources).has(runtimeSetting)) problems.push(`${runtimeSetting} is set as an app setting, which Flex Consumption rejects`);
  return problems;
}

/**
 * azd deploys each azure.yaml service to the resource tagged with its name:
 * the one service must be a function app, tagged by api.bicep.
 */
export function azureYamlProblems(sources: InfraSources): string[] {
  const yaml = source(sources, PATHS.azureYaml);
  const services = [...(/^services:\n((?:[ \t].*\n?|\n)*)/m.exec(yaml)?.[1] ?? '').matchAll(/^ {2}([\w-]+):\s*$/gm)].map((m) => m[1] ?? '');
  const tagged = /^param serviceName string = '([^']*)'/m.exec(stripComments(source(sources, PATHS.api)))?.[1];
  const problems: string[] = [];
  if (services.length !== 1 || services[0] !== tagged) problems.push(`azure.yaml services [${services.join(', ')}] do not match the azd-service-name ${String(tagged)} in ${PATHS.api}`);
  if (!/^ {4}host: function\s*$/m.test(yaml)) problems.push('azure.yaml does not deploy to a function app (host: function)');
  if (!/^ {4}language: ts\s*$/m.test(yaml)) problems.push('azure.yaml does not build the service as TypeScript (language: ts)');
  return problems;
}
