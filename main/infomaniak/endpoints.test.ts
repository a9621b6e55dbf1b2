import { describe, expect, it } from 'vitest';
import { notifyOrigin, readExtraCa, resolveEndpoints } from './endpoints';
import { DEFAULT_ENDPOINTS } from './types';

describe('resolveEndpoints', () => {
  it('defaults to the real hosts with no custom map', () => {
    expect(resolveEndpoints({})).toEqual({ endpoints: DEFAULT_ENDPOINTS, custom: null });
    expect(resolveEndpoints({ INFOMANIAK_API_URL: '  ' })).toEqual({ endpoints: DEFAULT_ENDPOINTS, custom: null });
  });

  it('takes overrides, strips the trailing slash and reports them as custom', () => {
    const { endpoints, custom } = resolveEndpoints({
      INFOMANIAK_API_URL: 'https://sim.example.test:8443/',
      INFOMANIAK_MAIL_URL: 'http://127.0.0.1:9000',
      INFOMANIAK_CALENDAR_URL: 'http://localhost:9001/',
      INFOMANIAK_CONTACTS_URL: 'http://[::1]:9002',
    });
    expect(endpoints).toEqual({
      api: 'https://sim.example.test:8443',
      calendar: 'http://localhost:9001',
      contacts: 'http://[::1]:9002',
      mail: 'http://127.0.0.1:9000',
    });
    expect(custom).toEqual({
      api: 'https://sim.example.test:8443',
      calendar: 'http://localhost:9001',
      contacts: 'http://[::1]:9002',
      mail: 'http://127.0.0.1:9000',
    });
  });

  it('does not flag an override equal to the default', () => {
    expect(resolveEndpoints({ INFOMANIAK_API_URL: 'https://API.infomaniak.com/' }).custom).toBeNull();
  });

  it.each([
    ['INFOMANIAK_API_URL', 'ftp://files.example.test', /INFOMANIAK_API_URL must use https/],
    [
      'INFOMANIAK_MAIL_URL',
      'http://mail.infomaniak.com:5000',
      /INFOMANIAK_MAIL_URL must use https; http is only allowed/,
    ],
    ['INFOMANIAK_CALENDAR_URL', 'http://10.0.0.5', /INFOMANIAK_CALENDAR_URL must use https/],
    ['INFOMANIAK_CONTACTS_URL', 'not a url', /INFOMANIAK_CONTACTS_URL is not a valid URL/],
    ['INFOMANIAK_API_URL', 'https://api.example.test/v1', /must be an origin without a path/],
    ['INFOMANIAK_API_URL', 'https://api.example.test/?x=1', /must not have a query/],
    ['INFOMANIAK_API_URL', 'https://user:pw@api.example.test', /must not contain credentials/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => resolveEndpoints({ [name]: value })).toThrow(message);
  });

  it('the notify host (kDrive long-poll): https only; none when the api host is overridden without one', () => {
    expect(resolveEndpoints({}).endpoints.notify).toBe('https://notify.kdrive.infomaniak.com');
    // A test or custom api host never sends its token to Infomaniak's notify host by default.
    expect(resolveEndpoints({ INFOMANIAK_API_URL: 'https://127.0.0.1:9000' }).endpoints.notify).toBeUndefined();
    expect(notifyOrigin({ ...DEFAULT_ENDPOINTS, api: 'https://127.0.0.1:9000', notify: undefined })).toBeUndefined();
    expect(notifyOrigin({ api: DEFAULT_ENDPOINTS.api, calendar: '', contacts: '', mail: '' })).toBe(
      DEFAULT_ENDPOINTS.notify,
    );
    const set = resolveEndpoints({
      INFOMANIAK_API_URL: 'https://127.0.0.1:9000',
      INFOMANIAK_NOTIFY_URL: 'https://127.0.0.1:9005/',
    });
    expect(set.endpoints.notify).toBe('https://127.0.0.1:9005');
    expect(set.custom).toMatchObject({ notify: 'https://127.0.0.1:9005' });
    expect(() => resolveEndpoints({ INFOMANIAK_NOTIFY_URL: 'http://127.0.0.1:9005' })).toThrow(
      /INFOMANIAK_NOTIFY_URL must use https \(got http\)/,
    );
  });

  it('never echoes a value that may hold credentials', () => {
    let message = '';
    try {
      resolveEndpoints({ INFOMANIAK_API_URL: 'https://user:s3cr3t@api.example.test' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/credentials/);
    expect(message).not.toContain('s3cr3t');
  });
});

const PEM_A = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
const PEM_B = '-----BEGIN CERTIFICATE-----\r\nBBBB\r\n-----END CERTIFICATE-----';

describe('readExtraCa', () => {
  it('returns nothing when NODE_EXTRA_CA_CERTS is unset', () => {
    let read = 0;
    expect(
      readExtraCa({}, () => {
        read++;
        return '';
      }),
    ).toEqual([]);
    expect(read).toBe(0);
  });

  it('splits a bundle into certificates', () => {
    const files: Record<string, string> = { '/etc/ca.pem': `# bundle\n${PEM_A}\n\njunk\n${PEM_B}\n` };
    const certs = readExtraCa({ NODE_EXTRA_CA_CERTS: '/etc/ca.pem' }, (path) => files[path] ?? '');
    expect(certs).toEqual([`${PEM_A}\n`, '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n']);
  });

  it('accepts bytes', () => {
    const certs = readExtraCa({ NODE_EXTRA_CA_CERTS: '/x' }, () => new TextEncoder().encode(PEM_A));
    expect(certs).toHaveLength(1);
  });

  it('throws naming the variable when the file is unreadable or empty', () => {
    const missing = () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    expect(() => readExtraCa({ NODE_EXTRA_CA_CERTS: '/nope.pem' }, missing)).toThrow(
      /NODE_EXTRA_CA_CERTS names a file that cannot be read \(\/nope.pem, ENOENT\)/,
    );
    expect(() => readExtraCa({ NODE_EXTRA_CA_CERTS: '/empty.pem' }, () => 'hello')).toThrow(/no PEM certificate/);
  });
});
