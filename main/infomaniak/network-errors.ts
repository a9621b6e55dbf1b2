/**
 * The one classification of low-level network failures (socket, DNS, TLS, zlib codes) in main/.
 * undici wraps socket errors (`TypeError: fetch failed` / `terminated` with the socket error as
 * `cause`), so the code is looked for along the cause chain.
 */

type NetworkFailure = 'network' | 'timeout' | 'certificate' | 'decode';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The first string `code` along `error`'s cause chain (ECONNRESET, UND_ERR_SOCKET, cert codes…). */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** TLS verification failures: not worth retrying, and worth telling apart in the message. */
export function isCertificateCode(code: string | undefined): boolean {
  if (!code) return false;
  return /CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|SELF_SIGNED|ERR_TLS/.test(code);
}

/** What a low-level code means, or undefined when it is not a network code (e.g. a disk error). */
export function classifyNetworkCode(code: string | undefined): NetworkFailure | undefined {
  if (!code) return undefined;
  if (NETWORK_CODES.has(code)) return 'network';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (isCertificateCode(code)) return 'certificate';
  if (/^(Z_|ERR_BROTLI|ERR_ZLIB)/.test(code)) return 'decode';
  return undefined;
}

/** A malformed HTTP answer (llhttp's and http1.ts's `HPE_*` codes): not worth the same request again. */
export function isParseCode(code: string | undefined): boolean {
  return code !== undefined && code.startsWith('HPE_');
}

/**
 * The status a proxy answered CONNECT with, when that is why a request failed (undici's tunnel
 * error carries it only in its message), else undefined.
 */
export function proxyStatusOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const message = (current as { message?: unknown }).message;
    const match =
      typeof message === 'string' ? /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(message) : null;
    if (match) return Number(match[1]);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
