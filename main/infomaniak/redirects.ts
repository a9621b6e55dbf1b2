/**
 * The redirect policy. Redirects are never automatic (fetch runs with `redirect: 'manual'`, the
 * Agent has no redirect interceptor); `followRedirects` decides each hop:
 * - same origin: followed, with the token;
 * - another origin: followed without the token for downloads (a signed storage URL), refused for
 *   JSON calls; probes follow nothing (they report the redirect);
 * - http after https, http to a non-loopback host, or a non-web scheme: refused without connecting;
 * - at most 5 redirects; 303 (and 301/302 after a POST) continue as a GET without the body.
 */
import type { Call, CallContext, Method } from './call';
import { isLoopbackHostname } from './endpoints';

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Which redirects a call follows. */
type Follow = 'same-origin' | 'download' | 'none';

function followFor(call: Call): Follow {
  return call.purpose === 'probe' ? 'none' : call.purpose === 'download' ? 'download' : 'same-origin';
}

/** One request of a call: where it goes, how, and whether it carries the token. */
export interface Attempt {
  url: URL;
  method: Method;
  body?: string;
  withToken: boolean;
}

/** What the policy needs of a response. */
export interface RedirectView {
  status: number;
  location: string | null;
  /** Drops the body (and with an unfinished one, its socket). */
  discard(): void;
}

/** Why a redirect from `from` to `to` is not followed, or null when the policy allows it. */
function refuseRedirect(start: URL, follow: Follow, from: URL, to: URL): string | null {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return `redirect to a non-web address (${to.protocol})`;
  if (to.protocol === 'http:') {
    if (start.protocol === 'https:') return 'redirect from https to plain http';
    if (!isLoopbackHostname(to.hostname)) return 'redirect to plain http';
  }
  if (to.origin !== from.origin && follow !== 'download') {
    return 'redirect to another site, not followed with the token';
  }
  return null;
}

/**
 * Sends `first` and follows the redirects the policy allows; resolves with the last response and
 * the attempt that got it. Refusals throw kind `redirect`.
 */
export async function followRedirects<R extends RedirectView>(
  ctx: CallContext,
  call: Call,
  first: Attempt,
  send: (attempt: Attempt) => Promise<R>,
): Promise<{ response: R; attempt: Attempt }> {
  const follow = followFor(call);
  let attempt = first;
  for (let redirects = 0; ; redirects++) {
    const response = await send(attempt);
    const { status, location } = response;
    if (follow === 'none' || !REDIRECT_STATUSES.has(status) || location === null) return { response, attempt };
    response.discard();
    const next = nextAttempt(ctx, call, follow, attempt, status, location, redirects);
    ctx.log(
      `${next.method} ${ctx.safe(attempt.url)} ${status} → ${ctx.safe(next.url)}${next.withToken ? '' : ' (without the token)'}`,
    );
    attempt = next;
  }
}

function nextAttempt(
  ctx: CallContext,
  call: Call,
  follow: Follow,
  from: Attempt,
  status: number,
  location: string,
  redirects: number,
): Attempt {
  const refused = (message: string, description: string) =>
    ctx.error(call, from.url, { kind: 'redirect', status, message, description });
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    throw refused(`${status} with an invalid Location`, 'the server redirected to an invalid address.');
  }
  if (redirects + 1 > MAX_REDIRECTS) {
    throw refused(`more than ${MAX_REDIRECTS} redirects`, `more than ${MAX_REDIRECTS} redirects.`);
  }
  const refusal = refuseRedirect(call.url, follow, from.url, url);
  if (refusal) {
    ctx.log(`${from.method} ${ctx.safe(from.url)} ${status} → ${url.origin} refused (${refusal})`);
    throw refused(`${status} to ${url.origin} refused: ${refusal}`, `${refusal} (${url.origin}).`);
  }
  const next: Attempt = { url, method: from.method, withToken: from.withToken && url.origin === from.url.origin };
  if (status === 303 || ((status === 301 || status === 302) && from.method === 'POST')) next.method = 'GET';
  else if (from.body !== undefined) next.body = from.body;
  return next;
}
