/**
 * A create request with local files, as the multipart body the API reads: the
 * fields as form fields and each file as a part. For the jobs API (Sora) the
 * files are inpaint items at frame 0; for the videos API (Sora 2) and
 * OpenAI-compatible endpoints an image is the `input_reference`.
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import type { CreateVideoBody } from './api-client';
import { CliError, EXIT } from './exit-codes';

export interface MediaFiles {
  image?: string;
  video?: string;
}

/** The part's declared type; the API trusts only the bytes' signature, this is for proxies and logs. */
const CONTENT_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.mp4': 'video/mp4' };

export async function mediaForm(body: CreateVideoBody, files: MediaFiles): Promise<FormData> {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) if (value !== undefined) form.append(name, String(value));
  if (body.api === 'videos' || body.api === 'openai') {
    if (files.video !== undefined) throw new CliError(`--video is for the jobs API; the ${body.api} API takes a reference image (--image)`, EXIT.usage);
    if (files.image !== undefined) form.append('input_reference', await fileBlob(files.image), path.basename(files.image));
    return form;
  }
  const items = [
    ...(files.image === undefined ? [] : [{ type: 'image', file: files.image }]),
    ...(files.video === undefined ? [] : [{ type: 'video', file: files.video }]),
  ];
  form.append('inpaint_items', JSON.stringify(items.map((item) => ({ frame_index: 0, type: item.type, file_name: path.basename(item.file) }))));
  for (const item of items) form.append('files', await fileBlob(item.file), path.basename(item.file));
  return form;
}

/** The file as a Blob read from disk when sent (never held whole in memory). */
async function fileBlob(file: string): Promise<Blob> {
  try {
    return await openAsBlob(file, { type: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' });
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
  }
}
