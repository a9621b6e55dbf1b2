/**
 * Test helpers for the Infomaniak client: a throw-away CA with a leaf certificate for 127.0.0.1 /
 * localhost (the simulator's generator, simulator/core/cert.ts), tiny local HTTP(S) servers that
 * record what they were sent, and the harness the client's test files share (`useClientHarness`).
 * Used by *.test.ts only.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { certificates, type CertBundle } from '../../simulator/core/cert';
import { createInfomaniakClient, type InfomaniakClient, type InfomaniakClientOptions } from './client';
import { InfomaniakError } from './errors';
import type { Endpoints } from './types';

/** A CA and a server certificate for 127.0.0.1 and localhost signed by it (the simulator's). */
export type TestPki = CertBundle;

/** The test CA: the simulator's generator (one per process), so that there is one generator. */
export function makeTestPki(): Promise<TestPki> {
  return certificates();
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest) => void;

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  port: number;
  requests: SeenRequest[];
  /** Replace the request handler (default: 404 JSON error envelope). */
  handle(handler: Handler): void;
  /** Forget recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const notFound: Handler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ result: 'error', error: { code: 'object_not_found', description: 'Not found' } }));
};

/** A server on 127.0.0.1 (http, or https when `pki` is given), origin host `hostName`. */
export async function startServer(options: { pki?: TestPki; hostName?: string } = {}): Promise<TestServer> {
  let handler: Handler = notFound;
  const requests: SeenRequest[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(seen);
    handler(req, res, seen);
  };
  const server = options.pki
    ? https.createServer({ cert: options.pki.certPem, key: options.pki.keyPem }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const scheme = options.pki ? 'https' : 'http';
  return {
    origin: `${scheme}://${options.hostName ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    handle(next) {
      handler = next;
    },
    reset() {
      requests.length = 0;
      handler = notFound;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

// ------------------------------------------------------------------ the client test harness

/** The token every client test uses; checked for in every text a test file produced. */
export const TEST_TOKEN = 'pat-TEST-7f3a9c1e5b2d4f6a8c0e-SECRET';

export const ok = (data: unknown, extra: Record<string, unknown> = {}) => ({ result: 'success', data, ...extra });

export async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export interface ClientServers {
  pki: TestPki;
  /** http://127.0.0.1:<port>: loopback http is an allowed endpoint. */
  api: TestServer;
  /** A second loopback http origin that is NOT a configured endpoint. */
  other: TestServer;
  /** https://127.0.0.1:<port>, certificate from the test CA. */
  tlsApi: TestServer;
  /** https://localhost:<port>: another https origin (a storage host), same CA. */
  storage: TestServer;
}

type ClientOverrides = Partial<Omit<InfomaniakClientOptions, 'endpoints'>> & { endpoints?: Partial<Endpoints> };

export interface ClientHarness {
  /** Set in the harness's beforeAll. */
  servers: ClientServers;
  /** Every log line and error text produced in this file; checked for the token after the file. */
  texts: string[];
  /** A client on `api` (loopback http) with fast retries, logging into `texts`; closed after the file. */
  makeClient(options?: ClientOverrides): InfomaniakClient;
  /** A client on `tlsApi` that trusts the test CA. */
  makeTlsClient(options?: ClientOverrides): InfomaniakClient;
  /** Records an error's texts into `texts`. */
  record(error: InfomaniakError): InfomaniakError;
  /** The InfomaniakError `promise` rejects with (recorded); fails when it resolves. */
  failure(promise: Promise<unknown>): Promise<InfomaniakError>;
}

/**
 * Starts the four test servers for a client test file (reset after each test, closed after the
 * file) and, after the file, checks that no log line or error text carried the token.
 */
export function useClientHarness(): ClientHarness {
  const texts: string[] = [];
  const clients: InfomaniakClient[] = [];
  const harness: ClientHarness = {
    servers: undefined as unknown as ClientServers,
    texts,
    makeClient(options = {}) {
      const { endpoints, ...rest } = options;
      const client = createInfomaniakClient({
        token: TEST_TOKEN,
        endpoints: {
          api: harness.servers.api.origin,
          calendar: 'https://calendar.example.test',
          contacts: 'https://contacts.example.test',
          mail: 'https://mail.example.test',
          ...endpoints,
        },
        retry: { backoffMs: 20, defaultWaitMs: 50 },
        log: (line) => texts.push(line),
        ...rest,
      });
      clients.push(client);
      return client;
    },
    makeTlsClient(options = {}) {
      const { servers } = harness;
      return harness.makeClient({ ca: [servers.pki.caPem], ...options, endpoints: { api: servers.tlsApi.origin } });
    },
    record(error) {
      texts.push(error.message, error.description ?? '', JSON.stringify(error.toAppError()), String(error.stack));
      return error;
    },
    async failure(promise) {
      try {
        await promise;
      } catch (error) {
        if (error instanceof InfomaniakError) return harness.record(error);
        throw error;
      }
      throw new Error('expected the call to fail');
    },
  };
  beforeAll(async () => {
    const pki = await makeTestPki();
    const [api, other, tlsApi, storage] = await Promise.all([
      startServer(),
      startServer(),
      startServer({ pki }),
      startServer({ pki, hostName: 'localhost' }),
    ]);
    harness.servers = { pki, api, other, tlsApi, storage };
  });
  afterEach(() => {
    const { api, other, tlsApi, storage } = harness.servers;
    for (const server of [api, other, tlsApi, storage]) server.reset();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    const { api, other, tlsApi, storage } = harness.servers;
    await Promise.all([api, other, tlsApi, storage].map((s) => s.close()));
    expectNoSecret(texts);
  });
  return harness;
}

/** Fails when any text carries the token, a piece of it, or the Authorization header's name. */
export function expectNoSecret(texts: readonly string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).not.toContain('7f3a9c1e5b2d4f6a8c0e');
    expect(text.toLowerCase()).not.toContain('authorization');
  }
}
