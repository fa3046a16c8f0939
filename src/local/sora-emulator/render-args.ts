/**
 * The ffmpeg command lines behind a render: a lavfi test pattern per variant
 * (so variants differ visibly), media inputs composited on top (cropped,
 * from their frame on), the prompt drawn at the bottom, encoded as H.264
 * yuv420p MP4 with +faststart at exactly the requested size and length.
 */
import type { CropBounds } from '../../sora/rules';

/** Low frame rate keeps renders fast on small machines; `frame_index` counts these frames. */
export const RENDER_FPS = 12;

/** One pattern per variant index, cycling after the fourth. */
const PATTERNS = ['testsrc2', 'smptebars', 'rgbtestsrc', 'testsrc'] as const;

export interface RenderInput {
  kind: 'image' | 'video';
  path: string;
  /** Identifies the content for the cache key. */
  sha256: string;
  /** Output frame (at RENDER_FPS) from which the input is shown. */
  startFrame: number;
  crop: CropBounds;
  /** 'inset': shown in a box from startFrame on; 'opening': full frame for the first second (Sora 2 input_reference). */
  placement: 'inset' | 'opening';
}

export interface RenderSpec {
  width: number;
  height: number;
  seconds: number;
  prompt: string;
  variant: number;
  inputs: RenderInput[];
}

export const FULL_CROP: CropBounds = { left_fraction: 0, top_fraction: 0, right_fraction: 1, bottom_fraction: 1 };

/** Where the i-th inset input sits: left half, right half, then centre. */
const INSET_X = ['(W/2-w)/2', 'W/2+(W/2-w)/2', '(W-w)/2'];

function inputFilters(input: RenderInput, index: number, base: string, spec: RenderSpec): string[] {
  const src = `${index + 1}:v`;
  const c = input.crop;
  const crop = `crop=w=iw*${c.right_fraction - c.left_fraction}:h=ih*${c.bottom_fraction - c.top_fraction}:x=iw*${c.left_fraction}:y=ih*${c.top_fraction}`;
  const even = 'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  if (input.placement === 'opening') {
    const fit = `scale=${spec.width}:${spec.height}`;
    return [`[${src}]${crop},${fit},setsar=1,setpts=PTS-STARTPTS[in${index}]`, `[${base}][in${index}]overlay=x=0:y=0:eof_action=pass:enable='lt(t,1)'[v${index}]`];
  }
  const start = input.startFrame / RENDER_FPS;
  const fit = `scale=w=${Math.floor(spec.width / 2)}:h=${Math.floor(spec.height / 2)}:force_original_aspect_ratio=decrease,${even}`;
  const x = INSET_X[index % INSET_X.length] ?? '0';
  return [
    `[${src}]${crop},${fit},setsar=1,setpts=PTS-STARTPTS+${start}/TB[in${index}]`,
    `[${base}][in${index}]overlay=x=${x}:y=(H-h)/2:eof_action=pass:enable='gte(t,${start})'[v${index}]`,
  ];
}

/** `textFile` holds the (wrapped) prompt; without a font the prompt is not drawn. */
export function videoRenderArgs(spec: RenderSpec, output: string, text?: { fontFile: string; textFile: string }): string[] {
  const { width, height, seconds } = spec;
  const pattern = PATTERNS[spec.variant % PATTERNS.length] ?? 'testsrc2';
  const args = ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `${pattern}=size=${width}x${height}:rate=${RENDER_FPS}:duration=${seconds}`];
  const filters: string[] = [];
  let base = '0:v';
  spec.inputs.forEach((input, i) => {
    if (input.kind === 'image') args.push('-loop', '1', '-t', String(seconds));
    args.push('-i', input.path);
    filters.push(...inputFilters(input, i, base, spec));
    base = `v${i}`;
  });
  if (text) {
    const size = fontSize(spec);
    filters.push(
      `[${base}]drawtext=fontfile='${text.fontFile}':textfile='${text.textFile}':expansion=none:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${Math.ceil(size / 4)}:x=(w-text_w)/2:y=h-text_h-${size}[out]`,
    );
  } else {
    filters.push(`[${base}]null[out]`);
  }
  args.push('-filter_complex', filters.join(';'), '-map', '[out]', '-t', String(seconds), '-r', String(RENDER_FPS));
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-an', output);
  return args;
}

export function fontSize(spec: Pick<RenderSpec, 'width' | 'height'>): number {
  return Math.max(12, Math.round(Math.min(spec.width, spec.height) / 22));
}

/** Wraps the prompt to the frame width (drawtext does not wrap), at most six lines. */
export function wrapPrompt(spec: RenderSpec): string {
  const perLine = Math.max(10, Math.floor(spec.width / (fontSize(spec) * 0.6)));
  const lines: string[] = [];
  let line = '';
  for (const word of spec.prompt.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  const shown = lines.slice(0, 6);
  if (lines.length > 6) shown[5] = `${shown[5] ?? ''} …`;
  return shown.join('\n');
}

/** A frame from the first second (or the middle of shorter clips) as JPEG. */
export function thumbnailArgs(video: string, seconds: number, output: string): string[] {
  return ['-y', '-loglevel', 'error', '-ss', String(Math.min(1, seconds / 2)), '-i', video, '-frames:v', '1', '-q:v', '3', output];
}

/** One frame per second, 160 px wide, four per row, as one JPEG. */
export function spritesheetArgs(video: string, seconds: number, output: string): string[] {
  const rows = Math.ceil((seconds + 1) / 4);
  return ['-y', '-loglevel', 'error', '-i', video, '-vf', `fps=1,scale=160:-2,tile=4x${rows}`, '-frames:v', '1', '-q:v', '4', output];
}
