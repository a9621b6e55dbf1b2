import { describe, expect, it } from 'vitest';
import { classifyNetworkCode, isCertificateCode, networkCode } from './network-errors';

describe('network errors', () => {
  it('finds the code along the cause chain (undici wraps socket errors)', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(networkCode(new TypeError('fetch failed', { cause: socket }))).toBe('UND_ERR_SOCKET');
    expect(networkCode(new TypeError('terminated', { cause: new TypeError('x', { cause: socket }) }))).toBe(
      'UND_ERR_SOCKET',
    );
    expect(networkCode(new Error('no code'))).toBeUndefined();
    expect(networkCode('not an error')).toBeUndefined();
  });

  it('classifies codes once for the whole app', () => {
    expect(classifyNetworkCode('ECONNRESET')).toBe('network');
    expect(classifyNetworkCode('ENOTFOUND')).toBe('network');
    expect(classifyNetworkCode('UND_ERR_HEADERS_TIMEOUT')).toBe('timeout');
    expect(classifyNetworkCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe('certificate');
    expect(classifyNetworkCode('Z_DATA_ERROR')).toBe('decode');
    expect(classifyNetworkCode('ENOSPC')).toBeUndefined();
    expect(classifyNetworkCode(undefined)).toBeUndefined();
    expect(isCertificateCode('SELF_SIGNED_CERT_IN_CHAIN')).toBe(true);
    expect(isCertificateCode('ECONNRESET')).toBe(false);
  });
});
