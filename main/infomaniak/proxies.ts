/**
 * Proxies: which dispatcher carries a request to an origin.
 *
 * - `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (either case) from the environment the shell passes
 *   in: undici's EnvHttpProxyAgent. When NO_PROXY is not set, loopback hosts are not proxied (as
 *   Chromium does by default); a NO_PROXY that is set is taken as it is.
 * - Otherwise, in Electron, the system's proxy for each origin: `resolve(url)` is the shell's
 *   `session.resolveProxy`, whose answer is a PAC result ("DIRECT", "PROXY host:port; DIRECT",
 *   "HTTPS host:port", "SOCKS5 host:port"); the first usable entry wins. Answers are kept per origin
 *   for 5 minutes; a resolver that fails means DIRECT.
 * - Plain http (loopback endpoints only) never goes through a proxy: the proxy would read it.
 * - https goes through a proxy only as a CONNECT tunnel (undici's ProxyAgent): the proxy sees
 *   `CONNECT host:port`, never the request, its Authorization header or the token.
 * - The client's extra CAs apply to the target's TLS through the tunnel (`requestTls`) and to an
 *   https proxy itself (`proxyTls`), as they do without a proxy.
 * - Connecting to the proxy, its answer to CONNECT and the TLS handshake through the tunnel each
 *   get the client's timeout (undici's defaults are 10 s, 300 s and 10 s): a proxy that accepts
 *   the connection and never answers fails the request as it would fail without a proxy.
 */
import type { SecureContext } from 'node:tls';
import { EnvHttpProxyAgent, Pool, ProxyAgent, type Agent, type Dispatcher } from 'undici';

export interface ProxyOptions {
  /** Environment to read HTTPS_PROXY / HTTP_PROXY / NO_PROXY from (the shell's, not process.env). */
  env?: Record<string, string | undefined>;
  /** Electron: the system proxy for a URL as a PAC result (session.resolveProxy). */
  resolve?: (url: string) => Promise<string>;
}

const RESOLVED_FOR_MS = 5 * 60_000;
const LOOPBACK = 'localhost,127.0.0.1,[::1],::1';

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** The proxy URL of the first usable entry of a PAC result, or null for DIRECT (or nothing usable). */
export function proxyFromPac(result: string): string | null {
  for (const entry of result.split(';')) {
    const [kind, hostPort] = entry.trim().split(/\s+/);
    const type = kind?.toUpperCase();
    if (type === 'DIRECT') return null;
    if (!hostPort || !/^[\w.-]+:\d{1,5}$|^\[[\da-f:]+\]:\d{1,5}$/i.test(hostPort)) continue;
    if (type === 'PROXY') return `http://${hostPort}`;
    if (type === 'HTTPS') return `https://${hostPort}`;
    if (type === 'SOCKS5' || type === 'SOCKS') return `socks5://${hostPort}`;
  }
  return null;
}

export class Proxies {
  readonly #direct: Agent;
  readonly #tls: { secureContext: SecureContext } | undefined;
  readonly #env: EnvHttpProxyAgent | null;
  readonly #resolve: ((url: string) => Promise<string>) | undefined;
  readonly #resolved = new Map<string, { proxy: string | null; at: number }>();
  readonly #agents = new Map<string, ProxyAgent>();
  readonly #timeoutMs: number;

  constructor(
    direct: Agent,
    tls: { secureContext: SecureContext } | undefined,
    options: ProxyOptions,
    timeoutMs = 30_000,
  ) {
    this.#direct = direct;
    this.#tls = tls;
    this.#timeoutMs = timeoutMs;
    this.#resolve = options.resolve;
    const env = options.env ?? {};
    const httpsProxy = envValue(env, 'https_proxy');
    const httpProxy = envValue(env, 'http_proxy');
    this.#env =
      httpsProxy || httpProxy
        ? new EnvHttpProxyAgent({
            // '' (not undefined): never fall back to process.env.
            httpProxy: httpProxy ?? '',
            httpsProxy: httpsProxy ?? httpProxy ?? '',
            noProxy: envValue(env, 'no_proxy') ?? LOOPBACK,
            keepAliveTimeout: 10_000,
            ...this.#tlsOptions(),
          })
        : null;
  }

  /** TLS and timeouts of a proxy agent: connecting, the proxy's answer to CONNECT, the tunnel's TLS. */
  #tlsOptions(): Pick<ProxyAgent.Options, 'connect' | 'requestTls' | 'proxyTls' | 'clientFactory'> {
    const tls = { ...this.#tls, timeout: this.#timeoutMs };
    const headersTimeout = this.#timeoutMs;
    return {
      connect: tls,
      requestTls: tls,
      proxyTls: tls,
      clientFactory: (origin, options) => new Pool(origin, { ...options, headersTimeout }),
    };
  }

  /** Whether a request to `url` goes out on a direct https connection (no proxy applies). */
  async isDirect(url: URL): Promise<boolean> {
    return url.protocol === 'https:' && (await this.dispatcherFor(url)) === this.#direct;
  }

  /** The dispatcher for a request to `url`. */
  async dispatcherFor(url: URL): Promise<Dispatcher> {
    if (url.protocol !== 'https:') return this.#direct;
    if (this.#env) return this.#env;
    if (!this.#resolve) return this.#direct;
    const proxy = await this.#systemProxy(url);
    return proxy === null ? this.#direct : this.#agent(proxy);
  }

  async #systemProxy(url: URL): Promise<string | null> {
    const known = this.#resolved.get(url.origin);
    if (known && Date.now() - known.at < RESOLVED_FOR_MS) return known.proxy;
    let proxy: string | null;
    try {
      proxy = proxyFromPac(await (this.#resolve as (url: string) => Promise<string>)(`${url.origin}/`));
    } catch {
      proxy = null;
    }
    this.#resolved.set(url.origin, { proxy, at: Date.now() });
    return proxy;
  }

  #agent(proxy: string): ProxyAgent {
    let agent = this.#agents.get(proxy);
    if (!agent) {
      agent = new ProxyAgent({ uri: proxy, keepAliveTimeout: 10_000, ...this.#tlsOptions() });
      this.#agents.set(proxy, agent);
    }
    return agent;
  }

  async destroy(): Promise<void> {
    await Promise.all([
      this.#direct.destroy(),
      this.#env?.destroy(),
      ...[...this.#agents.values()].map((agent) => agent.destroy()),
    ]);
  }
}
