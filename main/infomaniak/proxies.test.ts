import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT_MIN_BYTES } from './download';
import { proxyFromPac } from './proxies';
import { collect, ok, sendJson, TEST_TOKEN as TOKEN, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { makeClient, makeTlsClient, failure } = harness;
let api: TestServer;
let tlsApi: TestServer;

/** What the local CONNECT proxy saw: request lines and headers, and every byte clients sent it. */
interface ProxyLog {
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  bytes: Buffer[];
}
let proxyLog: ProxyLog;
let proxy: http.Server;
let proxyUrl: string;

beforeAll(async () => {
  ({ api, tlsApi } = harness.servers);
  proxyLog = { requests: [], bytes: [] };
  proxy = http.createServer((req, res) => {
    // A forwarding request (not CONNECT) would show the request itself to the proxy.
    proxyLog.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(502);
    res.end();
  });
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxyLog.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const port = Number(/:(\d+)$/.exec(req.url ?? '')?.[1]);
    // Every host the test names lives on this machine.
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.on('data', (chunk: Buffer) => proxyLog.bytes.push(chunk));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});

function resetProxyLog(): void {
  proxyLog.requests.length = 0;
  proxyLog.bytes.length = 0;
}

/** The proxy saw only CONNECT to the API's host:port, no Authorization header, and no token in any byte. */
function expectOnlyConnect(target: TestServer): void {
  const host = new URL(target.origin).host;
  expect(proxyLog.requests.length).toBeGreaterThan(0);
  for (const request of proxyLog.requests) {
    expect(request.method).toBe('CONNECT');
    expect(request.url).toBe(host);
    expect(Object.keys(request.headers)).not.toContain('authorization');
  }
  const seen = Buffer.concat(proxyLog.bytes).toString('latin1');
  expect(seen).not.toContain(TOKEN);
  expect(seen.toLowerCase()).not.toContain('authorization');
}

describe('proxies', () => {
  it('HTTPS_PROXY: JSON calls and downloads go through a CONNECT tunnel; the proxy never sees the token', async () => {
    resetProxyLog();
    tlsApi.handle((req, res) => {
      if (req.url === '/dl') {
        res.writeHead(200, { 'content-length': '5' });
        res.end('bytes');
      } else sendJson(res, 200, ok('through the tunnel'));
    });
    // NO_PROXY is set (to something else): loopback is then proxied like any host.
    const client = makeTlsClient({ proxy: { env: { HTTPS_PROXY: proxyUrl, NO_PROXY: 'elsewhere.invalid' } } });
    expect((await client.get('api', '/1/accounts')).data).toBe('through the tunnel');
    expect((await collect((await client.download('api', '/dl')).body)).toString()).toBe('bytes');
    expect(tlsApi.requests.map((r) => r.headers['authorization'])).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expectOnlyConnect(tlsApi);
  });

  it('a large download through a proxy stays in the tunnel (the download thread only serves direct connections)', async () => {
    resetProxyLog();
    const big = Buffer.alloc(DIRECT_MIN_BYTES, 7);
    tlsApi.handle((_req, res) => {
      res.writeHead(200, { 'content-length': big.length });
      res.end(big);
    });
    const client = makeTlsClient({ proxy: { env: { HTTPS_PROXY: proxyUrl, NO_PROXY: 'elsewhere.invalid' } } });
    const download = await client.download('api', '/dl', { expectedBytes: DIRECT_MIN_BYTES, toFile: true });
    expect(download.sink).toBeUndefined();
    expect((await collect(download.body)).equals(big)).toBe(true);
    expectOnlyConnect(tlsApi);
  });

  it('NO_PROXY, an unset NO_PROXY for loopback, and plain http bypass the proxy', async () => {
    tlsApi.handle((_req, res) => sendJson(res, 200, ok('direct')));
    api.handle((_req, res) => sendJson(res, 200, ok('plain')));
    for (const env of [
      { https_proxy: proxyUrl, no_proxy: '127.0.0.1' },
      { HTTPS_PROXY: proxyUrl },
      { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: 'elsewhere.invalid' },
    ]) {
      resetProxyLog();
      const viaTls = env.HTTP_PROXY === undefined;
      const client = viaTls ? makeTlsClient({ proxy: { env } }) : makeClient({ proxy: { env } });
      expect((await client.get('api', '/x')).data).toBe(viaTls ? 'direct' : 'plain');
      expect(proxyLog.requests).toEqual([]);
    }
  });

  it("Electron's system proxy, per origin: PROXY goes through the tunnel, DIRECT does not", async () => {
    tlsApi.handle((_req, res) => sendJson(res, 200, ok('resolved')));
    const asked: string[] = [];
    let answer = `PROXY ${new URL(proxyUrl).host}; DIRECT`;
    const resolve = (url: string) => {
      asked.push(url);
      return Promise.resolve(answer);
    };
    resetProxyLog();
    const proxied = makeTlsClient({ proxy: { resolve } });
    expect((await proxied.get('api', '/a')).data).toBe('resolved');
    expect((await proxied.get('api', '/b')).data).toBe('resolved');
    expect(asked).toEqual([`${tlsApi.origin}/`]);
    expectOnlyConnect(tlsApi);

    resetProxyLog();
    answer = 'DIRECT';
    const direct = makeTlsClient({ proxy: { resolve } });
    expect((await direct.get('api', '/c')).data).toBe('resolved');
    expect(proxyLog.requests).toEqual([]);
  });

  it('reads PAC results', () => {
    expect(proxyFromPac('DIRECT')).toBeNull();
    expect(proxyFromPac('PROXY proxy.corp:8080; DIRECT')).toBe('http://proxy.corp:8080');
    expect(proxyFromPac('HTTPS secure.corp:443')).toBe('https://secure.corp:443');
    expect(proxyFromPac('SOCKS5 127.0.0.1:1080')).toBe('socks5://127.0.0.1:1080');
    expect(proxyFromPac('QUIC odd:1; PROXY [::1]:3128')).toBe('http://[::1]:3128');
    expect(proxyFromPac('PROXY bad host')).toBeNull();
  });
});

/** A proxy that accepts TCP connections and never answers (records each socket). */
async function startSilentProxy(): Promise<{ url: string; sockets: net.Socket[]; close: () => Promise<void> }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A proxy that answers every CONNECT with `status`. */
async function startRefusingProxy(status: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(502).end());
  server.on('connect', (_req: http.IncomingMessage, client: net.Socket) => {
    client.on('error', () => undefined);
    client.end(
      `HTTP/1.1 ${status} Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a proxy that does not let us through', () => {
  it('never answers CONNECT: a download fails with timeout within the timeout, and Cancel aborts at once', async () => {
    const silent = await startSilentProxy();
    try {
      const env = { HTTPS_PROXY: silent.url, NO_PROXY: 'elsewhere.invalid' };
      const client = makeTlsClient({ proxy: { env }, timeoutMs: 300 });
      const started = Date.now();
      const timedOut = await failure(client.download('api', '/dl', { expectedBytes: DIRECT_MIN_BYTES, toFile: true }));
      expect(timedOut.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(silent.sockets.length).toBeGreaterThan(0);

      const patient = makeTlsClient({ proxy: { env }, timeoutMs: 60_000 });
      const controller = new AbortController();
      const seen = silent.sockets.length;
      const pending = patient.download('api', '/dl', { signal: controller.signal });
      await expect.poll(() => silent.sockets.length).toBeGreaterThan(seen);
      const cancelledAt = Date.now();
      controller.abort();
      expect((await failure(pending)).kind).toBe('cancelled');
      expect(Date.now() - cancelledAt).toBeLessThan(1_000);

      const json = await failure(
        makeTlsClient({ proxy: { env }, timeoutMs: 300, retry: { limit: 0 } }).get('api', '/x'),
      );
      expect(json.kind).toBe('timeout');
    } finally {
      await silent.close();
    }
  });

  it('a 407 from the proxy is named: the proxy wants a password', async () => {
    const refusing = await startRefusingProxy(407);
    try {
      const env = { HTTPS_PROXY: refusing.url, NO_PROXY: 'elsewhere.invalid' };
      const client = makeTlsClient({ proxy: { env }, retry: { limit: 0 } });
      for (const error of [await failure(client.download('api', '/dl')), await failure(client.get('api', '/x'))]) {
        expect(error).toMatchObject({ kind: 'network', proxyStatus: 407 });
        const app = error.toAppError();
        expect(app).toMatchObject({ code: 'network', reason: 'proxy_auth', details: { status: 407 } });
        expect(app.message).toMatch(/proxy wants a password/i);
      }
      expect(tlsApi.requests).toHaveLength(0);
    } finally {
      await refusing.close();
    }
  });
});
