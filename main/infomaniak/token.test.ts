import { beforeAll, describe, expect, it } from 'vitest';
import { InfomaniakError } from './errors';
import { expectNoSecret, ok, sendJson, TEST_TOKEN as TOKEN, type TestServer, useClientHarness } from './test-support';
import { TokenPolicy } from './token';

const harness = useClientHarness();
const { texts, makeClient, failure, record } = harness;
let api: TestServer;
beforeAll(() => {
  ({ api } = harness.servers);
});

describe('token', () => {
  it('sends the bearer token to a configured origin, and logs the exchange without it', async () => {
    api.handle((_req, res) => sendJson(res, 200, ok([{ id: 1 }])));
    const client = makeClient();
    const page = await client.get('api', '/1/accounts', { searchParams: { with: 'x', ids: [1, 2], skip: undefined } });
    expect(page).toEqual({ data: [{ id: 1 }] });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(api.requests[0]?.url).toBe('/1/accounts?with=x&ids=1&ids=2');
    expect(
      texts.some((l) => /^GET http:\/\/127\.0\.0\.1:\d+\/1\/accounts\?with=x&ids=1&ids=2 200 \d+ ms$/.test(l)),
    ).toBe(true);
  });

  it('refuses paths that would leave the configured host, before any request', async () => {
    const client = makeClient();
    await expect(client.get('api', '@evil.example.test/x')).rejects.toThrow(TypeError);
    await expect(client.get('api', 'https://evil.example.test/x')).rejects.toThrow(TypeError);
    await expect(client.get('api', '//evil.example.test/x')).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it('refuses endpoints that are neither https nor loopback http', () => {
    expect(() => makeClient({ endpoints: { mail: 'http://mail.infomaniak.com:5000' } })).toThrow(/must use https/);
  });
});

describe("a server's echo of the token", () => {
  it('redacts the token if a server echoes it', async () => {
    api.handle((_req, res) =>
      sendJson(res, 400, {
        result: 'error',
        error: { code: 'bad_request_error', description: `bad header Bearer ${TOKEN}` },
      }),
    );
    const error = await failure(makeClient().get('api', '/x'));
    expect(error.description).toBe('bad header Bearer [redacted]');
  });

  it('a token echoed in any error field (plain, URL-encoded, base64, partial) never reaches an error', async () => {
    const base64 = Buffer.from(TOKEN).toString('base64');
    const partial = TOKEN.slice(4, 24);
    const echoes = [
      { code: TOKEN, description: 'plain code' },
      { code: 'bad_request_error', description: `encoded ${encodeURIComponent(`Bearer ${TOKEN}`)}` },
      { code: 'bad_request_error', description: `base64 ${base64}` },
      { code: 'bad_request_error', description: `partial …${partial}…` },
      { code: `x_${TOKEN.slice(0, 12).toLowerCase()}`, message: 'lower-case code' },
      { code: 'all_scopes', context: { missing_scope: TOKEN } },
    ];
    const client = makeClient({ retry: { limit: 0 } });
    for (const echo of echoes) {
      api.handle((_req, res) => sendJson(res, 403, { result: 'error', error: echo }));
      const error = await failure(client.get('api', '/x'));
      const probe = await client.probe('api', '/x');
      const crossing = [
        error.message,
        error.apiCode ?? '',
        error.description ?? '',
        error.missingScope ?? '',
        JSON.stringify(error.toAppError()),
        JSON.stringify(probe),
      ].join('\n');
      for (const secret of [TOKEN, encodeURIComponent(TOKEN), base64, partial, TOKEN.slice(0, 12).toLowerCase()]) {
        expect(crossing).not.toContain(secret);
      }
    }
    // Only codes of the documented shape are kept.
    api.handle((_req, res) => sendJson(res, 400, { result: 'error', error: { code: 'Not A Code!' } }));
    expect((await failure(client.get('api', '/x'))).apiCode).toBeUndefined();
    api.handle((_req, res) => sendJson(res, 400, { result: 'error', error: { code: 'object_not_found' } }));
    expect((await failure(client.get('api', '/x'))).apiCode).toBe('object_not_found');
  });
});
describe('TokenPolicy', () => {
  const policy = new TokenPolicy(TOKEN, ['https://api.infomaniak.com', 'http://127.0.0.1:8080']);

  it('gives the bearer only to a configured origin over https or loopback http', () => {
    expect(policy.bearerFor(new URL('https://api.infomaniak.com/1/accounts'))).toBe(`Bearer ${TOKEN}`);
    expect(policy.bearerFor(new URL('http://127.0.0.1:8080/x'))).toBe(`Bearer ${TOKEN}`);
    for (const url of ['https://evil.example.test/steal', 'http://api.infomaniak.com/x', 'https://127.0.0.1:8080/x']) {
      let thrown: unknown;
      try {
        policy.bearerFor(new URL(url));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InfomaniakError);
      expect(record(thrown as InfomaniakError).kind).toBe('redirect');
    }
  });

  it('redacts the token whole, URL-encoded, in base64 and base64url, and any piece of 8 characters or more', () => {
    const bytes = Buffer.from(TOKEN);
    const forms = [
      TOKEN,
      encodeURIComponent(`Bearer ${TOKEN}`),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      TOKEN.slice(5, 13),
      TOKEN.slice(-10),
    ];
    for (const form of forms) {
      const redacted = policy.redact(`before ${form} after`);
      expect(redacted).toMatch(/^before .*\[redacted\].* after$/);
      expect(redacted).not.toContain(TOKEN.slice(5, 13));
      expect(policy.leaks(form)).toBe(true);
    }
    expect(policy.redact('nothing secret here, 7f3a9c1')).toBe('nothing secret here, 7f3a9c1');
    expect(policy.leaks('object_not_found')).toBe(false);
  });

  it('shows the whole URL of a configured origin and only the origin of any other', () => {
    expect(policy.safeUrl(new URL('https://api.infomaniak.com/2/drive?account_id=1'))).toBe(
      'https://api.infomaniak.com/2/drive?account_id=1',
    );
    expect(policy.safeUrl(new URL('https://storage.example.test/sig/abc/blob?sig=1'))).toBe(
      'https://storage.example.test',
    );
  });
});

describe('secrecy', () => {
  // Runs last in this file (the harness checks every test file's texts the same way after it).
  it('never puts the token or the Authorization header in a log line or error text', () => {
    expect(texts.length).toBeGreaterThan(10);
    expectNoSecret(texts);
  });
});
