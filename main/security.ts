/**
 * Security constants shared by the Electron shell and the browser host.
 */

/** The renderer's Content-Security-Policy. `connectSrc` adds the host's WebSocket origin. */
export function cspFor(connectSrc?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${connectSrc ? ` ${connectSrc}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The only external pages the app opens, in the user's browser (never in a window of ours). The
 * renderer names a page; it never passes a URL.
 */
export const EXTERNAL_PAGES = {
  tokenPage: 'https://manager.infomaniak.com/v3/ng/accounts/token/list',
  scopesHelp: 'https://developer.infomaniak.com/getting-started',
} as const;

export type ExternalPage = keyof typeof EXTERNAL_PAGES;
