import { describe, expect, it } from 'vitest';
import { parseHead } from './workers/tls-floor';

describe('tls floor: response head', () => {
  it('reads the status and Content-Length', () => {
    expect(parseHead('HTTP/1.1 200 OK\r\nContent-Type: x\r\nContent-Length: 1073741824')).toEqual({
      status: 200,
      length: 1073741824,
    });
  });
  it('refuses what it cannot frame', () => {
    expect(() => parseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5')).toThrow(/chunked/);
    expect(() => parseHead('HTTP/1.1 200 OK\r\nContent-Type: x')).toThrow(/Content-Length/);
    expect(() => parseHead('garbage')).toThrow(/status/);
  });
});
