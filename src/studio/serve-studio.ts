/**
 * GET /{*path} — the studio: the page at `/`, its styles, its browser modules
 * (web/) and `studio-config.json`, the choices the page offers (from the
 * server's own rules). Anything else is a 404. Anonymous on purpose: none of
 * it is secret, and the API the page calls keeps its function key (the page
 * asks for the key when the API answers 401 and keeps it for the tab only).
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { Dependencies } from '../dependencies';
import { problem } from '../http/problem';
import { browserModules, ENTRY_MODULE } from './browser-modules';
import { pageShell } from './page-shell';
import { PAGE_STYLES } from './page-styles';
import { staticAsset, type StaticAsset } from './static-asset';
import { studioConfigOf } from './studio-config';

/** The page reads its choices from here (web/api-client.ts). */
const STUDIO_CONFIG_FILE = 'studio-config.json';

/**
 * Scripts, styles, fetches and forms stay on this origin; pictures and videos
 * may come from anywhere (the read links point at the storage account).
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' blob: data: https: http:; media-src 'self' blob: https: http:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export function createStudio(deps: () => Pick<Dependencies, 'config'>) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const path = request.params.path ?? '';
    const asset = await assetAt(path, deps);
    if (asset === undefined) return problem(404, 'Not Found', `Nothing is served at /${path}.`);
    const headers: Record<string, string> = {
      'content-type': asset.contentType,
      // Always revalidated: a deployment changes the files under the same names.
      'cache-control': 'no-cache',
      etag: asset.etag,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    };
    if (request.headers.get('if-none-match') === asset.etag) return { status: 304, headers };
    return { status: 200, headers, body: asset.body };
  };
}

async function assetAt(path: string, deps: () => Pick<Dependencies, 'config'>): Promise<StaticAsset | undefined> {
  switch (path) {
    case '':
    case 'index.html': {
      const modules = await browserModules();
      return staticAsset(pageShell([...modules.keys()], ENTRY_MODULE), 'text/html; charset=utf-8');
    }
    case 'studio.css':
      return staticAsset(PAGE_STYLES, 'text/css; charset=utf-8');
    case STUDIO_CONFIG_FILE:
      return staticAsset(JSON.stringify(studioConfigOf(deps().config)), 'application/json');
    default:
      return (await browserModules()).get(path);
  }
}
