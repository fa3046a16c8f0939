/** Client file names become blob name segments: nothing that climbs, hides or disguises gets through. */
import { describe, expect, it } from 'vitest';
import { fileNameViolation, MAX_FILE_NAME_LENGTH } from '../../src/media';

describe('fileNameViolation', () => {
  it.each(['photo.jpg', 'clip 1.mp4', 'Frame_(2)-final.png', 'été à Zürich.webp', 'e\u0301te\u0301.jpg', '写真.jpeg', 'a.b.c.jpg'])('accepts %j', (name) => {
    expect(fileNameViolation(name)).toBeUndefined();
  });

  it.each([
    ['', 'must have a file name'],
    ['../x.jpg', "without '/'"],
    ['a/b.png', "without '/'"],
    ['C:\\x', "without '/'"],
    ['..', "'..'"],
    ['x..jpg', "'..'"],
    ['.hidden', "must not start with '.'"],
    ['.', "must not start with '.'"],
    ['photo.', "must not end with '.'"],
    [' photo.jpg', 'space'],
    ['photo.jpg ', 'space'],
    ['a\u0000.jpg', 'control characters'],
    ['a\nb.jpg', 'control characters'],
    ['a\u0085b.jpg', 'control characters'],
    ['%2e%2e', "found '%'"],
    ['a:b.jpg', "found ':'"],
    ['a*b.jpg', "found '*'"],
    ['photo\u202Egpj.exe', 'found U+202E'],
    ['smile\u{1F600}.png', 'found U+1F600'],
    ['x'.repeat(MAX_FILE_NAME_LENGTH - 4) + '.jpgx', `at most ${MAX_FILE_NAME_LENGTH} characters`],
  ])('refuses %j', (name, message) => {
    expect(fileNameViolation(name)).toContain(message);
  });

  it('counts characters, not UTF-16 units, against the length limit', () => {
    const name = '𝒳'.repeat(MAX_FILE_NAME_LENGTH - 4) + '.jpg';
    expect(name.length).toBeGreaterThan(MAX_FILE_NAME_LENGTH);
    expect(fileNameViolation(name)).toBeUndefined();
    expect(fileNameViolation('x'.repeat(MAX_FILE_NAME_LENGTH))).toBeUndefined();
  });
});
