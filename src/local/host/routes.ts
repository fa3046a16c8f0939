/**
 * Functions (ASP.NET Core) route templates: literals, `{name}`, `{name?}`,
 * `{name=default}`, `{*rest}` and inline constraints such as `{id:int}`,
 * `{id:int:min(1)}`, `{code:regex(^\\d{{3}}$)}`. Literals match
 * case-insensitively, as in the Functions host.
 */
export interface CompiledRoute {
  template: string;
  /** Lower sorts first: literals beat constrained parameters beat parameters beat catch-alls. */
  precedence: number[];
  match(path: string): Record<string, string> | undefined;
}

interface Parameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue: string | undefined;
  constraints: string[];
}

type Part = { literal: string } | { parameter: Parameter };

export function compileRoute(template: string): CompiledRoute {
  const segments = template.replace(/^\/+|\/+$/g, '').split('/').filter((segment) => segment !== '');
  const parameters: Parameter[] = [];
  const precedence: number[] = [];
  let pattern = '^';
  for (const segment of segments) {
    const parts = parseSegment(segment, template);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only !== undefined && 'parameter' in only) {
      const parameter = only.parameter;
      parameters.push(parameter);
      if (parameter.catchAll) {
        pattern += '(?:/(.*))?';
        precedence.push(5);
      } else if (parameter.optional || parameter.defaultValue !== undefined) {
        pattern += '(?:/([^/]+))?';
        precedence.push(4);
      } else {
        pattern += '/([^/]+)';
        precedence.push(parameter.constraints.length > 0 ? 2 : 3);
      }
      continue;
    }
    pattern += '/';
    for (const part of parts) {
      if ('literal' in part) {
        pattern += escapeRegExp(part.literal);
      } else {
        parameters.push(part.parameter);
        // Greedy, so the last literal splits the segment: ASP.NET matches complex segments right to left.
        pattern += '([^/]+)';
      }
    }
    precedence.push(parts.every((part) => 'literal' in part) ? 1 : 2);
  }
  const regex = new RegExp(`${pattern}/?$`, 'i');
  return {
    template,
    precedence,
    match(path: string): Record<string, string> | undefined {
      const found = regex.exec(path.startsWith('/') ? path : `/${path}`);
      if (found === null) return undefined;
      const values: Record<string, string> = {};
      for (const [index, parameter] of parameters.entries()) {
        const raw = found[index + 1];
        const value = raw === undefined || raw === '' ? parameter.defaultValue : safeDecode(raw);
        if (value === undefined) continue;
        if (!parameter.constraints.every((constraint) => satisfies(constraint, value))) return undefined;
        values[parameter.name] = value;
      }
      return values;
    },
  };
}

/** A function's route under host.json's routePrefix; an empty prefix puts it at the site root, as in the Functions host. */
export function prefixedRoute(prefix: string, route: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? route : `${trimmed}/${route.replace(/^\/+/, '')}`;
}

/** Sorts routes so the most specific template is tried first. */
export function byPrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const difference = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function parseSegment(segment: string, template: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < segment.length) {
    const char = segment.charAt(i);
    if ((char === '{' || char === '}') && segment.charAt(i + 1) === char) {
      literal += char;
      i += 2;
      continue;
    }
    if (char !== '{') {
      literal += char;
      i++;
      continue;
    }
    const end = closingBrace(segment, i);
    if (end === -1) throw new Error(`Route template '${template}' has an unclosed '{'.`);
    if (literal !== '') parts.push({ literal });
    literal = '';
    parts.push({ parameter: parseParameter(segment.slice(i + 1, end).replaceAll('{{', '{').replaceAll('}}', '}')) });
    i = end + 1;
  }
  if (literal !== '') parts.push({ literal });
  return parts;
}

/** The index of the `}` closing the parameter opened at `start` (`{{`/`}}` are escapes inside regex constraints). */
function closingBrace(segment: string, start: number): number {
  for (let i = start + 1; i < segment.length; i++) {
    const char = segment.charAt(i);
    if ((char === '{' || char === '}') && segment.charAt(i + 1) === char) {
      i++;
      continue;
    }
    if (char === '}') return i;
  }
  return -1;
}

function parseParameter(body: string): Parameter {
  let rest = body;
  const catchAll = rest.startsWith('*');
  if (catchAll) rest = rest.replace(/^\*+/, '');
  const constraints: string[] = [];
  let nameEnd = rest.search(/[:=?]/);
  if (nameEnd === -1) nameEnd = rest.length;
  const name = rest.slice(0, nameEnd);
  rest = rest.slice(nameEnd);
  let optional = false;
  let defaultValue: string | undefined;
  while (rest.startsWith(':')) {
    const constraint = readConstraint(rest.slice(1));
    constraints.push(constraint);
    rest = rest.slice(1 + constraint.length);
  }
  if (rest.startsWith('=')) defaultValue = rest.slice(1);
  else if (rest.startsWith('?')) optional = true;
  return { name, optional, catchAll, defaultValue, constraints };
}

/** One constraint, e.g. `int` or `regex(^a:b$)`, up to the next top-level `:`, `=` or `?`. */
function readConstraint(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && (char === ':' || char === '=' || char === '?')) return text.slice(0, i);
  }
  return text;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function satisfies(constraint: string, value: string): boolean {
  const call = /^(\w+)(?:\((.*)\))?$/s.exec(constraint);
  const kind = call?.[1]?.toLowerCase() ?? constraint;
  const args = (call?.[2] ?? '').split(',').map((arg) => arg.trim());
  const number = Number(value);
  const [first = '', second = ''] = args;
  switch (kind) {
    case 'int':
      return /^[+-]?\d+$/.test(value) && number >= -(2 ** 31) && number < 2 ** 31;
    case 'long':
      return /^[+-]?\d+$/.test(value);
    case 'float':
    case 'double':
    case 'decimal':
      return NUMBER.test(value);
    case 'bool':
      return /^(true|false)$/i.test(value);
    case 'alpha':
      return /^[a-z]+$/i.test(value);
    case 'guid':
      return /^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[})]?$/i.test(value);
    case 'datetime':
      return !Number.isNaN(Date.parse(value));
    case 'minlength':
      return value.length >= Number(first);
    case 'maxlength':
      return value.length <= Number(first);
    case 'length':
      return second === '' ? value.length === Number(first) : value.length >= Number(first) && value.length <= Number(second);
    case 'min':
      return /^[+-]?\d+$/.test(value) && number >= Number(first);
    case 'max':
      return /^[+-]?\d+$/.test(value) && number <= Number(first);
    case 'range':
      return /^[+-]?\d+$/.test(value) && number >= Number(first) && number <= Number(second);
    case 'regex':
      return new RegExp(call?.[2] ?? '', 'i').test(value);
    default:
      throw new Error(`Route constraint '${constraint}' is not supported by the local host.`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Decodes a route value once, as ASP.NET Core (the Functions host) does: every
 * escape but `%2F`, which stays as sent so an encoded slash can never become
 * a path separator in a value. An invalid escape is left as it is.
 */
function safeDecode(text: string): string {
  return text
    .split(/(%2F)/i)
    .map((piece, index) => (index % 2 === 1 ? piece : decodeOrKeep(piece)))
    .join('');
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
