/**
 * A TrueType font for drawing prompts on frames. The static ffmpeg build
 * cannot rely on the machine's fontconfig, so we hand it a file: the usual
 * places of DejaVu/Liberation/Free fonts on Debian, Fedora, Arch and macOS,
 * then whatever `fc-match` names.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/freefont/FreeSans.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  '/Library/Fonts/Arial.ttf',
];

/** ffmpeg filter options cannot take these characters unescaped; such paths are skipped. */
const PLAIN_PATH = /^[\w./ -]+$/;

function fromFontconfig(): string | undefined {
  try {
    const file = execFileSync('fc-match', ['-f', '%{file}', 'sans'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return file.trim() || undefined;
  } catch {
    return undefined; // fc-match is not installed
  }
}

export function findFont(): string | undefined {
  const found = [...CANDIDATES, fromFontconfig()].find((path) => path !== undefined && PLAIN_PATH.test(path) && existsSync(path));
  return found;
}
