/**
 * Where the client talks to, and which extra CAs it trusts.
 *
 * The base URLs default to the real Infomaniak hosts and may be overridden by environment
 * (INFOMANIAK_API_URL, INFOMANIAK_CALENDAR_URL, INFOMANIAK_CONTACTS_URL, INFOMANIAK_MAIL_URL,
 * INFOMANIAK_NOTIFY_URL): https anywhere, http only for loopback (127.0.0.1, ::1, localhost),
 * except the notify host (kDrive's long-poll), which is https only. An override is an origin: no
 * path, query, fragment or credentials. Any override makes `custom` non-null so the UI can show a
 * "custom endpoints" badge. With the api host overridden and no notify host given, there is no
 * notify host (`notifyOrigin`): a token meant for a test server never goes to Infomaniak's.
 */
import { DEFAULT_ENDPOINTS, type Endpoints, type ApiHost } from './types';

export const ENDPOINT_ENV_VARS: Readonly<Record<ApiHost, string>> = {
  api: 'INFOMANIAK_API_URL',
  calendar: 'INFOMANIAK_CALENDAR_URL',
  contacts: 'INFOMANIAK_CONTACTS_URL',
  mail: 'INFOMANIAK_MAIL_URL',
  notify: 'INFOMANIAK_NOTIFY_URL',
};

const SERVICE_HOSTS: readonly ApiHost[] = ['api', 'calendar', 'contacts', 'mail', 'notify'];

/**
 * The notify host of a set of endpoints: the one given, else Infomaniak's when `api` is
 * Infomaniak's, else none.
 */
export function notifyOrigin(endpoints: Endpoints): string | undefined {
  if (endpoints.notify !== undefined) return endpoints.notify;
  return endpoints.api === DEFAULT_ENDPOINTS.api ? DEFAULT_ENDPOINTS.notify : undefined;
}

/** Host names (as URL.hostname spells them) that count as loopback. */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.toLowerCase());
}

export interface ResolvedEndpoints {
  endpoints: Endpoints;
  /** The overridden hosts and their origins, or null when every host is the default. */
  custom: Partial<Record<ApiHost, string>> | null;
}

/**
 * Validates one base URL and returns its origin (lower-case host, default port dropped, no
 * trailing slash). Throws an Error naming `label` when the value is not acceptable. The value is
 * echoed only when it cannot hold credentials.
 */
export function validateBaseUrl(value: string, label: string, options: { httpsOnly?: boolean } = {}): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${label} is not a valid URL${value.includes('@') ? '' : ` (${JSON.stringify(value)})`}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(`${label} must not contain credentials.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${label} must use https (got ${url.protocol.replace(/:$/, '')}).`);
  }
  if (url.protocol === 'http:' && options.httpsOnly) {
    throw new Error(`${label} must use https (got http).`);
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new Error(
      `${label} must use https; http is only allowed for 127.0.0.1, ::1 or localhost (got ${url.hostname}).`,
    );
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new Error(`${label} must be an origin without a path (got ${url.pathname}).`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error(`${label} must not have a query or fragment.`);
  }
  return url.origin;
}

export function resolveEndpoints(env: Record<string, string | undefined>): ResolvedEndpoints {
  const endpoints: Endpoints = { ...DEFAULT_ENDPOINTS };
  const custom: Partial<Record<ApiHost, string>> = {};
  let any = false;
  for (const host of SERVICE_HOSTS) {
    const variable = ENDPOINT_ENV_VARS[host];
    const raw = env[variable]?.trim();
    if (!raw) {
      if (host === 'notify' && endpoints.api !== DEFAULT_ENDPOINTS.api) endpoints.notify = undefined;
      continue;
    }
    const origin = validateBaseUrl(raw, variable, { httpsOnly: host === 'notify' });
    endpoints[host] = origin;
    if (origin !== DEFAULT_ENDPOINTS[host]) {
      custom[host] = origin;
      any = true;
    }
  }
  if (endpoints.notify === undefined) delete endpoints.notify;
  return { endpoints, custom: any ? custom : null };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of the PEM file named by NODE_EXTRA_CA_CERTS, read by the app itself: the
 * release build turns the NODE_OPTIONS fuse off, which also makes Node ignore that variable. They
 * are trusted by the Infomaniak client's own connection only (see client.ts), never process-wide.
 * Returns [] when the variable is unset; throws an Error naming the variable when the file cannot
 * be read or holds no certificate (the caller decides whether to log and go on).
 */
export function readExtraCa(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string | Uint8Array,
): string[] {
  const path = env['NODE_EXTRA_CA_CERTS']?.trim();
  if (!path) return [];
  let text: string;
  try {
    const content = readFile(path);
    text = typeof content === 'string' ? content : new TextDecoder().decode(content);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new Error(
      `NODE_EXTRA_CA_CERTS names a file that cannot be read (${path}${typeof code === 'string' ? `, ${code}` : ''}).`,
      { cause: error },
    );
  }
  const certs = text.match(PEM_CERT) ?? [];
  if (certs.length === 0) {
    throw new Error(`NODE_EXTRA_CA_CERTS names a file with no PEM certificate (${path}).`);
  }
  return certs.map((c) => c.replace(/\r\n/g, '\n') + '\n');
}
