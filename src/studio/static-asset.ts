/** A file the studio serves: its bytes, type and a validator so a browser revalidates instead of downloading again. */
import { createHash } from 'node:crypto';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

export function staticAsset(body: Buffer | string, contentType: string): StaticAsset {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { body: bytes, contentType, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` };
}
