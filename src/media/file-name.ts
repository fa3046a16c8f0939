/**
 * Whether a client-supplied file name is safe to use as one segment of a blob
 * name (`{request id}/{file name}`) and to echo back: it must not be able to
 * climb out of its folder, hide, or smuggle control or look-alike formatting
 * characters. Messages continue a field label (`files[name] must …`).
 */

export const MAX_FILE_NAME_LENGTH = 128;

/**
 * Letters, combining marks and digits of any script (macOS sends accents as
 * combining marks), space and `._-()`. Everything else is refused, including `%`
 * (an encoded `..` must not decode into one later) and invisible formatting such
 * as right-to-left overrides that disguise an extension.
 */
const SAFE_CHARACTER = /^[\p{L}\p{M}\p{Nd} ._()-]$/u;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

export function fileNameViolation(name: string): string | undefined {
  if (name.length === 0) return 'must have a file name';
  if (name.includes('/') || name.includes('\\')) return "must be a plain file name, without '/' or '\\'";
  if (name.includes('..')) return "must not contain '..'";
  if (name.startsWith('.')) return "must not start with '.'";
  if (name.endsWith('.') || name.trim() !== name) return "must not end with '.' or start or end with a space";
  if (CONTROL.test(name)) return 'must not contain control characters';
  const characters = Array.from(name); // code points: a letter outside the BMP counts once
  if (characters.length > MAX_FILE_NAME_LENGTH) return `must be at most ${MAX_FILE_NAME_LENGTH} characters long`;
  const unsafe = characters.find((c) => !SAFE_CHARACTER.test(c));
  if (unsafe !== undefined) return `must use only letters, digits, spaces and . _ - ( ) (found ${describe(unsafe)})`;
  return undefined;
}

/** Names the offending character by its code point, so the message itself stays printable and unambiguous. */
function describe(character: string): string {
  const code = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return /^[\x21-\x7e]$/.test(character) ? `'${character}'` : `U+${code}`;
}
