/**
 * Checks that hold infra/ (and the files it must agree with) against the
 * app's code. Each returns a list of problems, empty when all is well, and
 * reads only the sources it is given.
 */
import { bicepFiles, PATHS, source, type InfraSources } from './infra-sources';
import { evaluateArithmetic, literalValues, moduleCalls, objectKeys, params, roleAssignments, stripComments, varExpression } from './bicep-source';

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

/** Roles assigned to `principal` beyond the allowed ones (name → role definition GUID): least privilege. */
export function unexpectedRoleAssignments(sources: InfraSources, allowed: Record<string, string>, principal: string): string[] {
  const allowedIds = new Set(Object.values(allowed).map((id) => id.toLowerCase()));
  return bicepFiles(sources).flatMap(([path, text]) =>
    roleAssignments(text)
      .filter((a) => a.principal === principal)
      .flatMap((a) => a.roleIds.filter((id) => !allowedIds.has(id)).map((id) => `${path}: ${a.resource} assigns role ${id} to ${principal}, beyond the roles it needs`)),
  );
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

/** The request index table: a variable holding the code's default, the setting set from it, the table created under it. */
export function tableProblems(sources: InfraSources, setting: string, variable: string, defaultName: string): string[] {
  const main = stripComments(source(sources, PATHS.main));
  const problems: string[] = [];
  const value = new RegExp(`^var\\s+${variable}\\s*=\\s*'([^']*)'`, 'm').exec(main)?.[1];
  if (value !== defaultName) problems.push(`${variable} is ${String(value)} but the app's default ${setting} is ${defaultName}`);
  if (!new RegExp(`\\b${setting}:\\s*${variable}\\b`).test(main)) problems.push(`${setting} is not set to ${variable}`);
  if (!new RegExp(`tableServices:\\s*\\{\\s*tables:\\s*\\[[^\\]]*\\{\\s*name:\\s*${variable}\\s*\\}`).test(main)) problems.push(`no table is created from ${variable}`);
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

/** Parameters that choose the video model, and the azd environment values main.parameters.json maps to them. */
const MODEL_PARAMS = ['soraModelName', 'soraModelVersion'];

/**
 * The model is the user's choice: no model or version is written in infra/,
 * neither as a parameter default, nor as a default in main.parameters.json, nor
 * as a literal `version:` of a deployment; and a deployment is only created
 * under the condition that both were given.
 */
export function modelDefaultProblems(sources: InfraSources): string[] {
  const problems: string[] = [];
  for (const [path, text] of bicepFiles(sources)) {
    for (const p of params(text).filter((p) => /model/i.test(p.name) && p.hasDefault && p.defaultValue !== "''")) {
      problems.push(`${path}: param ${p.name} defaults to ${String(p.defaultValue)}`);
    }
    if (/^\s*version:\s*'/m.test(stripComments(text))) problems.push(`${path} writes a literal model version`);
  }
  const mapped = (JSON.parse(source(sources, PATHS.parameters)) as { parameters: Record<string, { value?: unknown }> }).parameters;
  for (const name of MODEL_PARAMS) {
    const value = mapped[name]?.value;
    if (typeof value !== 'string' || !/^\$\{[A-Z0-9_]+\}$/.test(value)) problems.push(`${PATHS.parameters} gives ${name} ${JSON.stringify(value)}, not a plain azd environment value`);
  }
  const main = stripComments(source(sources, PATHS.main));
  const created = moduleCalls(source(sources, PATHS.main)).filter((m) => m.path === './app/openai.bicep');
  if (created.length !== 1 || !new RegExp(`^module\\s+${created[0]?.name ?? ''}\\s+'[^']+'\\s*=\\s*if\\s*\\(createOpenAi\\)`, 'm').test(main)) {
    problems.push(`${PATHS.main} does not create the account and deployment only if (createOpenAi)`);
  }
  const condition = /^var\s+createOpenAi\s*=([\s\S]*?)^\S/m.exec(main)?.[1] ?? '';
  if (!MODEL_PARAMS.every((name) => condition.includes(`!empty(${name})`))) problems.push(`${PATHS.main}: createOpenAi does not require both ${MODEL_PARAMS.join(' and ')}`);
  return problems;
}

/** Flex Consumption's VNet integration needs its subnet delegated to Microsoft.App/environments. */
export function vnetDelegationProblems(sources: InfraSources): string[] {
  const delegations = [...stripComments(source(sources, PATHS.vnet)).matchAll(/delegation:\s*'([^']*)'/g)].map((m) => m[1] ?? '');
  return delegations.length === 1 && delegations[0] === 'Microsoft.App/environments'
    ? []
    : [`${PATHS.vnet} delegates [${delegations.join(', ')}]; Flex Consumption needs one subnet delegated to Microsoft.App/environments`];
}

export interface BodyLimitRule {
  /** The app settings for the upload limits and the host's body cap. */
  imageSetting: string;
  videoSetting: string;
  bodyLimitSetting: string;
  images: number;
  videos: number;
  /** Bytes a request may carry besides its files (form fields, part headers). */
  overheadBytes: number;
}

const MIB = 1024 * 1024;

/**
 * The host's body cap is derived from the upload limits, the same parameters
 * that set INPUT_MAX_IMAGE_MIB and INPUT_MAX_VIDEO_MIB, and fits the largest
 * request they allow: at their defaults, at other values, and in
 * local.settings.json.example.
 */
export function requestBodyLimitProblems(sources: InfraSources, rule: BodyLimitRule): string[] {
  const main = source(sources, PATHS.main);
  const code = stripComments(main);
  const fromParam = (setting: string) => new RegExp(`\\b${setting}:\\s*string\\((\\w+)\\)`).exec(code)?.[1];
  const imageParam = fromParam(rule.imageSetting);
  const videoParam = fromParam(rule.videoSetting);
  const limitVar = fromParam(rule.bodyLimitSetting);
  if (!imageParam || !videoParam || !limitVar || varExpression(main, limitVar) === undefined) {
    return [`${PATHS.main} does not set ${rule.imageSetting}, ${rule.videoSetting} and ${rule.bodyLimitSetting} as string(param), string(param) and string(var)`];
  }
  const declared = params(main);
  const defaultOf = (name: string) => Number(declared.find((p) => p.name === name)?.defaultValue);
  const needed = (imageMiB: number, videoMiB: number) => (rule.images * imageMiB + rule.videos * videoMiB) * MIB + rule.overheadBytes;
  const limit = (imageMiB: number, videoMiB: number) => evaluateArithmetic(main, limitVar, { [imageParam]: imageMiB, [videoParam]: videoMiB });
  const problems: string[] = [];
  for (const [imageMiB, videoMiB] of [
    [defaultOf(imageParam), defaultOf(videoParam)],
    [1, 1],
    [100, 2000],
  ] as const) {
    if (limit(imageMiB, videoMiB) < needed(imageMiB, videoMiB)) {
      problems.push(`${rule.bodyLimitSetting} is ${String(limit(imageMiB, videoMiB))} with ${String(imageMiB)} MiB images and ${String(videoMiB)} MiB videos, below the ${String(needed(imageMiB, videoMiB))} bytes such a request can carry`);
    }
  }
  const local = (JSON.parse(source(sources, PATHS.localSettings)) as { Values?: Record<string, string> }).Values ?? {};
  const localLimit = limit(Number(local[rule.imageSetting]), Number(local[rule.videoSetting]));
  if (local[rule.bodyLimitSetting] !== String(localLimit)) {
    problems.push(`${PATHS.localSettings} sets ${rule.bodyLimitSetting} to ${String(local[rule.bodyLimitSetting])}, not the ${String(localLimit)} infra/ derives from its upload limits`);
  }
  return problems;
}

export interface PackagingRule {
  /** Where the packager stages the package (azure.yaml `dist`). */
  packageDir: string;
  /** The npm script azd's prepackage hook runs. */
  script: string;
  /** The compiled packager the script must run. */
  packager: string;
}

/**
 * azure.yaml deploys what the packager stages: `dist` is its folder, no
 * remote build, and the service's prepackage hook runs the packaging script on
 * every OS, which package.json defines to run the packager.
 */
export function packagingProblems(sources: InfraSources, rule: PackagingRule): string[] {
  const yaml = source(sources, PATHS.azureYaml);
  const problems: string[] = [];
  if (!new RegExp(`^ {4}dist: ${rule.packageDir.replaceAll('/', '\\/')}\\s*$`, 'm').test(yaml)) problems.push(`azure.yaml does not deploy ${rule.packageDir} (dist)`);
  if (!/^ {4}remoteBuild: false\s*$/m.test(yaml)) problems.push('azure.yaml does not set remoteBuild: false');
  const hook = /^ {4}hooks:\n {6}prepackage:\n((?: {8}.*\n?)*)/m.exec(yaml)?.[1] ?? '';
  for (const os of ['posix', 'windows']) {
    if (!new RegExp(`^ {8}${os}:\\n(?: {10}.*\\n)*? {10}run: npm run ${rule.script}\\s*$`, 'm').test(hook)) problems.push(`azure.yaml's prepackage hook does not run npm run ${rule.script} on ${os}`);
  }
  const scripts = (JSON.parse(source(sources, PATHS.packageJson)) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts[rule.script]?.includes(`node ${rule.packager}`)) problems.push(`package.json script ${rule.script} does not run node ${rule.packager}`);
  return problems;
}

/**
 * The packager picks host.json from the same azd environment value that
 * main.parameters.json hands to main.bicep's durableTaskBackend, and knows a
 * host.json for exactly the backends the Bicep allows.
 */
export function backendChoiceProblems(sources: InfraSources, packagerBackends: readonly string[], setting: string): string[] {
  const param = params(source(sources, PATHS.main)).find((p) => p.name === 'durableTaskBackend');
  const allowed = [...(param?.decorators.find((d) => d.startsWith('@allowed('))?.matchAll(/'([^']*)'/g) ?? [])].map((m) => m[1] ?? '');
  const problems: string[] = [];
  if ([...allowed].sort().join() !== [...packagerBackends].sort().join()) {
    problems.push(`${PATHS.main} allows durableTaskBackend [${allowed.join(', ')}] but the packager knows [${packagerBackends.join(', ')}]`);
  }
  const mapped = (JSON.parse(source(sources, PATHS.parameters)) as { parameters: Record<string, { value?: unknown }> }).parameters.durableTaskBackend?.value;
  if (typeof mapped !== 'string' || !mapped.startsWith(`\${${setting}`)) problems.push(`${PATHS.parameters} does not give durableTaskBackend from ${setting}, the value the packager reads`);
  return problems;
}
