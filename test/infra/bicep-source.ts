/**
 * Just enough reading of Bicep source to hold it against the app's code. No
 * Bicep compiler can run here, so this reads the text: object keys, literal
 * values, parameters with their decorators, variables and role assignments.
 * Every function takes the source text, so tests can feed it altered copies.
 */

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The source with `//` and block comments removed; a `//` inside a '…' string (a URL) stays. */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === "'") {
      const end = stringEnd(source, i);
      out += source.slice(i, end);
      i = end;
    } else if (source.startsWith('//', i)) {
      const eol = source.indexOf('\n', i);
      i = eol === -1 ? source.length : eol;
    } else if (source.startsWith('/*', i)) {
      const close = source.indexOf('*/', i + 2);
      i = close === -1 ? source.length : close + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the string literal that opens at `start` (Bicep escapes a quote as \'). */
function stringEnd(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length && source[i] !== "'") i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Every name used as an object key (`NAME: …` at a line start, after `{` or `,`), quoted or not. */
export function objectKeys(source: string): Set<string> {
  const keys = new Set<string>();
  for (const m of stripComments(source).matchAll(new RegExp(`(?:^|[{,])\\s*'?(${IDENTIFIER})'?\\s*:`, 'gm'))) {
    keys.add(m[1] ?? '');
  }
  return keys;
}

/** Keys whose value is a plain string literal (`KEY: 'text'`, no interpolation). */
export function literalValues(source: string): Map<string, string> {
  const values = new Map<string, string>();
  const pattern = new RegExp(`(?:^|[{,])\\s*'?(${IDENTIFIER})'?\\s*:\\s*'([^'$\\n]*)'\\s*(?=$|[},])`, 'gm');
  for (const m of stripComments(source).matchAll(pattern)) values.set(m[1] ?? '', m[2] ?? '');
  return values;
}

export interface BicepParam {
  name: string;
  decorators: string[];
  hasDefault: boolean;
  /** The default value's source text (`'videos'`, `25`, `''`), when the parameter has one. */
  defaultValue: string | undefined;
}

/** Parameters with the decorators written above them. */
export function params(source: string): BicepParam[] {
  const result: BicepParam[] = [];
  let decorators: string[] = [];
  let depth = 0;
  for (const line of stripComments(source).split('\n')) {
    const text = line.trim();
    const param = depth === 0 ? new RegExp(`^param\\s+(${IDENTIFIER})\\b(.*)$`).exec(text) : null;
    if (param) {
      const value = /=\s*(.*)$/.exec(param[2] ?? '')?.[1]?.trim();
      result.push({ name: param[1] ?? '', decorators, hasDefault: value !== undefined, defaultValue: value });
      decorators = [];
    } else if (depth === 0 && text.startsWith('@')) {
      decorators.push(text);
    } else if (depth === 0 && text !== '') {
      decorators = [];
    }
    // Multi-line decorators such as @allowed([…]) and @metadata({…}) open brackets; brackets in strings don't count.
    const code = text.replace(/'(?:[^'\\]|\\.)*'/g, "''");
    depth += (code.match(/[[({]/g) ?? []).length - (code.match(/[\])}]/g) ?? []).length;
    const last = decorators.at(-1);
    if (depth > 0 && last !== undefined && !text.startsWith('@')) decorators[decorators.length - 1] = `${last} ${text}`;
  }
  return result;
}

/** Top-level `var` values: a GUID string, or an array of GUIDs and other such variables, resolved. */
export function guidVariables(source: string): Map<string, string[]> {
  const text = stripComments(source);
  const raw = new Map<string, string[]>();
  for (const m of text.matchAll(new RegExp(`^var\\s+(${IDENTIFIER})\\s*=\\s*'([^']*)'`, 'gm'))) {
    raw.set(m[1] ?? '', [`'${m[2] ?? ''}'`]);
  }
  for (const m of text.matchAll(new RegExp(`^var\\s+(${IDENTIFIER})\\s*=\\s*\\[([^\\]]*)\\]`, 'gm'))) {
    raw.set(m[1] ?? '', (m[2] ?? '').split(/[\s,]+/).filter((t) => t !== ''));
  }
  const resolve = (token: string, seen: Set<string>): string[] => {
    if (token.startsWith("'")) {
      const value = token.slice(1, -1);
      return GUID.test(value) ? [value.toLowerCase()] : [];
    }
    if (seen.has(token)) return [];
    return (raw.get(token) ?? []).flatMap((t) => resolve(t, new Set([...seen, token])));
  };
  const resolved = new Map<string, string[]>();
  for (const name of raw.keys()) {
    const guids = resolve(name, new Set());
    if (guids.length > 0) resolved.set(name, guids);
  }
  return resolved;
}

/** The text of the `{…}` or `[…]` block that opens at or after `from`, brackets inside strings ignored. */
export function blockAfter(text: string, from: number): string {
  const open = text.slice(from).search(/[{[]/);
  if (open === -1) return '';
  const start = from + open;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      i = stringEnd(text, i) - 1;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return text.slice(start);
}

export interface RoleAssignment {
  resource: string;
  /** The expression after `principalId:`, e.g. `managedIdentityPrincipalId`. */
  principal: string;
  /** Role definition GUIDs the block can assign: literals, or variables it names (a loop's array included). */
  roleIds: string[];
}

/** Every `Microsoft.Authorization/roleAssignments` resource in the file. */
export function roleAssignments(source: string): RoleAssignment[] {
  const text = stripComments(source);
  const variables = guidVariables(source);
  const header = new RegExp(`^resource\\s+(${IDENTIFIER})\\s+'Microsoft\\.Authorization/roleAssignments@[^']+'\\s*=`, 'gm');
  return [...text.matchAll(header)].map((m) => {
    const body = blockAfter(text, m.index + m[0].length);
    const roleIds = new Set<string>();
    for (const token of body.matchAll(new RegExp(`${IDENTIFIER}|'[^']*'`, 'g'))) {
      const word = token[0];
      const literal = word.startsWith("'") ? word.slice(1, -1) : undefined;
      if (literal !== undefined && GUID.test(literal)) roleIds.add(literal.toLowerCase());
      for (const id of variables.get(word) ?? []) roleIds.add(id);
    }
    return {
      resource: m[1] ?? '',
      principal: new RegExp(`principalId:\\s*([\\w.]+)`).exec(body)?.[1] ?? '',
      roleIds: [...roleIds],
    };
  });
}

export interface ModuleCall {
  name: string;
  path: string;
  body: string;
}

/** `module NAME 'PATH' = …{…}` declarations, with the block that holds their params. */
export function moduleCalls(source: string): ModuleCall[] {
  const text = stripComments(source);
  const header = new RegExp(`^module\\s+(${IDENTIFIER})\\s+'([^']+)'\\s*=`, 'gm');
  return [...text.matchAll(header)].map((m) => ({
    name: m[1] ?? '',
    path: m[2] ?? '',
    body: blockAfter(text, m.index + m[0].length),
  }));
}

/** The expression of a one-line top-level `var NAME = …`. */
export function varExpression(source: string, name: string): string | undefined {
  return new RegExp(`^var\\s+${name}\\s*=\\s*(.+)$`, 'm').exec(stripComments(source))?.[1]?.trim();
}

/**
 * Evaluates whole-number arithmetic (`+`, `*`, parentheses) in which every
 * name is a parameter with a value in `params` or a one-line variable of
 * `source`, evaluated the same way. Anything else throws: the checks only
 * accept an expression they can compute.
 */
export function evaluateArithmetic(source: string, expression: string, params: Readonly<Record<string, number>>): number {
  const tokens = expression.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|[+*()]|\S/g) ?? [];
  let at = 0;
  const next = (): string => tokens[at++] ?? '';
  const sum = (): number => {
    let value = product();
    while (tokens[at] === '+') {
      at++;
      value += product();
    }
    return value;
  };
  const product = (): number => {
    let value = operand();
    while (tokens[at] === '*') {
      at++;
      value *= operand();
    }
    return value;
  };
  const operand = (): number => {
    const token = next();
    if (token === '(') {
      const value = sum();
      if (next() !== ')') throw new Error(`unbalanced parentheses in ${expression}`);
      return value;
    }
    if (/^\d+$/.test(token)) return Number(token);
    const param = params[token];
    if (param !== undefined) return param;
    const variable = /^[A-Za-z_]/.test(token) ? varExpression(source, token) : undefined;
    if (variable === undefined) throw new Error(`cannot evaluate '${token}' in ${expression}`);
    return evaluateArithmetic(source, variable, params);
  };
  const value = sum();
  if (at !== tokens.length) throw new Error(`cannot evaluate ${expression}`);
  return value;
}
