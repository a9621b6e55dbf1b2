/**
 * Origins and token: who may receive the bearer token, and keeping it out of every text.
 *
 * - The token goes only to https (or loopback http) URLs whose origin is one of the four configured
 *   endpoints (`bearerFor`); the redirect policy (redirects.ts) decides whether a hop still carries
 *   it at all.
 * - `redact()` scrubs the token from any text that will be logged, stored or sent over IPC: the
 *   token itself, URL-encoded, base64 / base64url, and any part of it of 8 characters or more
 *   (a server may echo a truncated token).
 * - `safeUrl()` is the only way a URL gets into a log line or an error: origin + path + query for
 *   the configured origins, the origin alone for any other (a signed storage URL may carry its
 *   signature in the path or the query).
 */
import { isLoopbackHostname } from './endpoints';
import { InfomaniakError } from './errors';

/** Shortest run of the token's characters that counts as an echo of it. */
const FRAGMENT = 8;
const REDACTED = '[redacted]';

export class TokenPolicy {
  readonly #token: string;
  readonly #allowed: ReadonlySet<string>;
  /** Every form of the token a server might echo, whole. */
  readonly #forms: string[];
  /** Every FRAGMENT-long piece of those forms. */
  readonly #fragments: Set<string>;

  constructor(token: string, allowedOrigins: Iterable<string>) {
    if (!token) throw new Error('The Infomaniak client needs a token.');
    this.#token = token;
    this.#allowed = new Set(allowedOrigins);
    const bytes = Buffer.from(token, 'utf8');
    this.#forms = [
      ...new Set([
        token,
        encodeURIComponent(token),
        bytes.toString('base64'),
        bytes.toString('base64url'),
        bytes.toString('base64').replace(/=+$/, ''),
      ]),
    ];
    this.#fragments = new Set();
    for (const form of this.#forms) {
      for (let i = 0; i + FRAGMENT <= form.length; i++) this.#fragments.add(form.slice(i, i + FRAGMENT));
    }
  }

  /** True when `url` is a configured endpoint's origin. */
  isConfigured(url: URL): boolean {
    return this.#allowed.has(url.origin);
  }

  /**
   * The Authorization header value for a request to `url`, which must be a configured origin over
   * https (or http on loopback); otherwise it throws kind `redirect`.
   */
  bearerFor(url: URL): string {
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname));
    if (!secure || !this.#allowed.has(url.origin)) {
      throw new InfomaniakError({
        kind: 'redirect',
        message: `Refused to send the token to ${url.origin}`,
        description: `the token is only sent to the configured Infomaniak hosts, not to ${url.origin}.`,
        host: url.host,
      });
    }
    return `Bearer ${this.#token}`;
  }

  /** True when `text` holds the token or a piece of it (in any of the echoed forms). */
  leaks(text: string): boolean {
    if (text.length < FRAGMENT) return false;
    for (let i = 0; i + FRAGMENT <= text.length; i++) {
      if (this.#fragments.has(text.slice(i, i + FRAGMENT))) return true;
    }
    return false;
  }

  /** `text` with the token, its encodings and any piece of them (≥ 8 characters) replaced. */
  redact(text: string): string {
    if (!this.leaks(text)) return text;
    let out = text;
    for (const form of this.#forms) out = out.split(form).join(REDACTED);
    // Pieces: mark every character covered by a known fragment, then replace each covered run.
    const covered = new Uint8Array(out.length);
    for (let i = 0; i + FRAGMENT <= out.length; i++) {
      if (this.#fragments.has(out.slice(i, i + FRAGMENT))) covered.fill(1, i, i + FRAGMENT);
    }
    let result = '';
    for (let i = 0; i < out.length; i++) {
      if (covered[i] === 0) result += out[i];
      else if (i === 0 || covered[i - 1] === 0) result += REDACTED;
    }
    return result;
  }

  /** origin + path (+ query) for the configured origins; the origin alone for any other. */
  safeUrl(url: URL): string {
    if (!this.#allowed.has(url.origin)) return url.origin;
    return `${url.origin}${url.pathname}${url.search}`;
  }
}
