/**
 * Reads `.funcignore` with gitignore's rules, the ones the Functions tooling
 * applies when it packs an app: a pattern with no slash but a trailing one
 * matches a name at any depth, any other is relative to the project root; a
 * trailing slash matches folders only; `*` and `?` stay within one path
 * segment and `**` crosses them. Negations (`!`), character classes and
 * escapes are refused rather than guessed at, so a .funcignore that uses them
 * fails packaging (and the tests) instead of staging the wrong files.
 */

/**
 * Whether a path (relative to the project root, `/`-separated) stays out of
 * the package. Ask top-down and do not enter a folder it ignores: what lies
 * under an ignored folder is ignored with it.
 */
export type IsIgnored = (relativePath: string, isDirectory: boolean) => boolean;

interface Rule {
  regex: RegExp;
  directoryOnly: boolean;
}

export function parseFuncignore(text: string): IsIgnored {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(toRule);
  return (relativePath, isDirectory) => rules.some((rule) => (isDirectory || !rule.directoryOnly) && rule.regex.test(relativePath));
}

function toRule(pattern: string): Rule {
  if (/^!|[[\]\\]/.test(pattern)) throw new Error(`.funcignore pattern '${pattern}' uses syntax this reader does not support`);
  const directoryOnly = pattern.endsWith('/');
  const body = directoryOnly ? pattern.slice(0, -1) : pattern;
  const anchored = body.includes('/');
  const glob = globToRegex(body.replace(/^\//, ''));
  return { regex: new RegExp(anchored ? `^${glob}$` : `(^|/)${glob}$`), directoryOnly };
}

function globToRegex(glob: string): string {
  return glob
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => {
      switch (part) {
        case '**/':
          return '(.*/)?';
        case '**':
          return '.*';
        case '*':
          return '[^/]*';
        case '?':
          return '[^/]';
        default:
          return part.replace(/[.+^${}()|]/g, '\\$&');
      }
    })
    .join('');
}
