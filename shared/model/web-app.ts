/**
 * The Infomaniak web apps the app may open for a node ("Open in the Infomaniak web app"). Main
 * builds the URL from the node id (main/sources/web-app.ts) and opens it only when it passes
 * `isWebAppUrl`: https, one of these origins, no credentials, no fragment. The renderer sends a
 * node id, never a URL. Shapes: docs/infomaniak-api.md ("Web app links").
 */
export const WEB_APP_ORIGINS = Object.freeze([
  'https://kdrive.infomaniak.com',
  'https://calendar.infomaniak.com',
  'https://contacts.infomaniak.com',
  'https://mail.infomaniak.com',
] as const);

/** Longest URL main builds (an origin and two numeric ids); anything longer is refused. */
export const WEB_APP_URL_MAX = 200;

export function isWebAppUrl(url: string): boolean {
  if (url.length > WEB_APP_URL_MAX) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.hash === '' &&
    parsed.href === url &&
    (WEB_APP_ORIGINS as readonly string[]).includes(parsed.origin)
  );
}
