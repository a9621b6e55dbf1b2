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
