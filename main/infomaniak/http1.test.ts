import { describe, expect, it } from 'vitest';
import { framingOf, headEnd, parseHead, requestHead } from './http1';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code ?? (error as Error).name;
  }
  return 'no error';
};

describe('requestHead', () => {
  it('writes a GET with host, the given headers and connection: close', () => {
    const head = requestHead('/2/drive/1/files/5/download?x=1', 'api.example:8443', { range: 'bytes=5-' });
    expect(head).toBe(
      'GET /2/drive/1/files/5/download?x=1 HTTP/1.1\r\nhost: api.example:8443\r\nrange: bytes=5-\r\nconnection: close\r\n\r\n',
    );
  });

  it('refuses anything that could end a line or smuggle a header', () => {
    expect(codeOf(() => requestHead('/a', 'h', { 'if-range': '"v1"\r\nx-evil: 1' }))).toBe('TypeError');
    expect(codeOf(() => requestHead('/a', 'h', { 'bad name': 'x' }))).toBe('TypeError');
    expect(codeOf(() => requestHead('/a', 'h', { host: 'other' }))).toBe('TypeError');
    expect(codeOf(() => requestHead('/a', 'h', { Connection: 'keep-alive' }))).toBe('TypeError');
    expect(codeOf(() => requestHead('/a b', 'h', {}))).toBe('TypeError');
    expect(codeOf(() => requestHead('/a\nb', 'h', {}))).toBe('TypeError');
  });
});

describe('parseHead', () => {
  it('reads the status and lower-cased headers, joining repeated ones', () => {
    const head = parseHead('HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\nVary: a\r\nvary:  b \r\nX-Empty:');
    expect(head).toEqual({ status: 206, headers: { 'content-length': '10', vary: 'a, b', 'x-empty': '' } });
    expect(parseHead('HTTP/1.0 200').status).toBe(200);
  });

  it('refuses a broken status line, folded lines, spaces before the colon and control characters', () => {
    expect(codeOf(() => parseHead('HTTP/2 200 OK'))).toBe('HPE_INVALID_STATUS');
    expect(codeOf(() => parseHead('ICY 200 OK'))).toBe('HPE_INVALID_STATUS');
    expect(codeOf(() => parseHead('HTTP/1.1 200 OK\r\nA: 1\r\n folded'))).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(codeOf(() => parseHead('HTTP/1.1 200 OK\r\nA : 1'))).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(codeOf(() => parseHead('HTTP/1.1 200 OK\r\nA: 1\u0000'))).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(codeOf(() => parseHead('HTTP/1.1 200 OK\r\nA: x\ny: 2'))).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(codeOf(() => parseHead('HTTP/1.1 200 OK\r\nno colon'))).toBe('HPE_INVALID_HEADER_TOKEN');
  });

  it('finds the end of a head', () => {
    expect(headEnd(Buffer.from('HTTP/1.1 200 OK\r\nA: 1\r\n\r\nbody'))).toBe(25);
    expect(headEnd(Buffer.from('HTTP/1.1 200 OK\r\nA: 1\r\n'))).toBe(-1);
  });
});

describe('framingOf', () => {
  const head = (status: number, headers: Record<string, string> = {}) => ({ status, headers });

  it('has no body for 1xx, 204 and 304', () => {
    for (const status of [103, 204, 304]) {
      expect(framingOf(head(status, { 'content-length': '5' }))).toEqual({ kind: 'none' });
    }
  });

  it('reads Content-Length, chunked, or to the close', () => {
    expect(framingOf(head(200, { 'content-length': '42' }))).toEqual({ kind: 'length', length: 42 });
    expect(framingOf(head(200, { 'content-length': '42, 42' }))).toEqual({ kind: 'length', length: 42 });
    expect(framingOf(head(200, { 'transfer-encoding': 'Chunked' }))).toEqual({ kind: 'chunked' });
    expect(framingOf(head(200))).toEqual({ kind: 'close' });
  });

  it('refuses lengths that disagree or are not numbers, and codings it cannot undo', () => {
    expect(codeOf(() => framingOf(head(200, { 'content-length': '42, 43' })))).toBe('HPE_INVALID_CONTENT_LENGTH');
    expect(codeOf(() => framingOf(head(200, { 'content-length': '-1' })))).toBe('HPE_INVALID_CONTENT_LENGTH');
    expect(codeOf(() => framingOf(head(200, { 'content-length': '1e3' })))).toBe('HPE_INVALID_CONTENT_LENGTH');
    expect(codeOf(() => framingOf(head(200, { 'transfer-encoding': 'gzip, chunked' })))).toBe(
      'HPE_INVALID_TRANSFER_ENCODING',
    );
  });

  it('refuses Content-Length together with Transfer-Encoding (RFC 9112 §6.3), as llhttp does', () => {
    for (const te of ['chunked', 'gzip, chunked']) {
      expect(codeOf(() => framingOf(head(200, { 'transfer-encoding': te, 'content-length': '3' })))).toBe(
        'HPE_UNEXPECTED_CONTENT_LENGTH',
      );
    }
  });
});
