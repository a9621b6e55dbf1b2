/**
 * The Mail probe (issue 24.4): exactly the mailbox route of Infomaniak's mail server for assistants;
 * Mail is shown only when it answers a JSON success listing mailboxes, and otherwise says why
 * (redirect, 401/403/404, non-JSON, JSON without mailboxes). Against the simulator too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import { clientFor } from '../sources/test-support';
import type { ProbeResult } from '../infomaniak/types';
import { mailAvailability, validateToken } from './validation';

describe('mailAvailability', () => {
  it('is available only for a JSON success that lists mailboxes', () => {
    expect(mailAvailability({ kind: 'json', status: 200, body: { result: 'success', data: [] } })).toEqual({
      available: true,
    });
    expect(
      mailAvailability({ kind: 'json', status: 200, body: { result: 'success', data: { mailboxes: [] } } }),
    ).toEqual({ available: true });
  });

  it.each<[string, ProbeResult, RegExp]>([
    [
      'a redirect',
      { kind: 'redirect', status: 302, location: 'https://login.infomaniak.com/authorize' },
      /redirects \(HTTP 302\)/,
    ],
    ['401', { kind: 'http', status: 401, apiCode: 'not_authorized' }, /HTTP 401 \(not_authorized\)/],
    ['403', { kind: 'http', status: 403, apiCode: 'all_scopes' }, /HTTP 403 \(all_scopes\)/],
    ['404', { kind: 'http', status: 404 }, /HTTP 404/],
    ['a page', { kind: 'not_json', status: 200, contentType: 'text/html' }, /HTTP 200 without JSON/],
    [
      'JSON without mailboxes',
      { kind: 'json', status: 200, body: { result: 'success', data: { x: 1 } } },
      /lists no mailboxes/,
    ],
    ['an error envelope', { kind: 'json', status: 200, body: { result: 'error' } }, /lists no mailboxes/],
  ])('%s: "Mail is not available for this token" with the reason', (_what, result, why) => {
    const a = mailAvailability(result);
    expect(a).toMatchObject({ available: false, reasonCode: 'mail_blocked' });
    expect(a.reason).toMatch(/^Mail is not available for this token/);
    expect(a.reason).toMatch(why);
  });
});

describe('the probe against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'edge', quiet: true });
  });
  afterAll(async () => {
    await sim.close();
  });

  async function probe(token: string) {
    const client = clientFor(sim, token);
    sim.log.reset();
    try {
      const outcome = await validateToken(client, () => undefined);
      return { mail: outcome.services.mail, paths: sim.log.entries().filter((e) => e.origin === 'mail') };
    } finally {
      await client.close();
    }
  }

  it('mail closed (the seed’s redirect to the login page): unavailable, the redirect not followed', async () => {
    sim.setMailMode('blocked');
    const { mail, paths } = await probe('edge-full-token');
    expect(mail).toMatchObject({ available: false, reasonCode: 'mail_blocked' });
    expect(mail.reason).toContain('redirects (HTTP 302)');
    expect(paths.map((e) => [e.path, e.status])).toEqual([
      ['/api/mailbox?with=aliases,permissions,accountId,count_users', 302],
    ]);
  });

  it('mail open: available on the same single request; a token without workspace:mail is told why', async () => {
    sim.setMailMode('open');
    try {
      const open = await probe('edge-full-token');
      expect(open.mail).toEqual({ available: true });
      expect(open.paths.map((e) => e.path)).toEqual(['/api/mailbox?with=aliases,permissions,accountId,count_users']);
      const noScope = await probe('edge-one-account-token');
      expect(noScope.mail).toMatchObject({ available: false, reasonCode: 'mail_blocked' });
      expect(noScope.mail.reason).toContain('HTTP 403 (all_scopes)');
    } finally {
      sim.setMailMode('blocked');
    }
  });
});
