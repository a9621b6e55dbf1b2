/** Local names: a Maildir message's info is the only text kept after a safe name as it is. */
import { describe, expect, it } from 'vitest';
import { assignPaths, localName } from './names';

describe('localName', () => {
  it('keeps a Maildir info (`:2,S`, `;2,S` on Windows) after the safe name', () => {
    expect(localName({ name: '1748685600.Mabc.poweron-sources', nameSuffix: ':2,S' })).toBe(
      '1748685600.Mabc.poweron-sources:2,S',
    );
    expect(localName({ name: 'x', nameSuffix: ';2,' })).toBe('x;2,');
  });

  it('anything else after the name is not taken; the name itself is made safe as always', () => {
    expect(localName({ name: 'a:b', nameSuffix: '/../../etc' })).toBe('a_b');
    expect(localName({ name: 'x', nameSuffix: ':2,S/..' })).toBe('x');
    expect(localName({ name: 'x', nameSuffix: ':3,S' })).toBe('x');
  });

  it('a long name is shortened so name and info stay within 255 bytes', () => {
    const name = localName({ name: 'é'.repeat(200), nameSuffix: ':2,S' });
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith(':2,S')).toBe(true);
  });

  it('assignPaths names a message with its info, and the same again on the next run', () => {
    const remote = new Map([
      ['d', { id: 'd', parent: null, name: 'cur', type: 'dir' as const, size: 0, mtime: null }],
      [
        'm',
        {
          id: 'm',
          parent: 'd',
          name: '1.Mx.poweron-sources',
          type: 'file' as const,
          size: 1,
          mtime: 1,
          nameSuffix: ':2,S',
        },
      ],
    ]);
    const first = assignPaths(remote, new Map(), (s) => s);
    expect(first.get('m')).toBe('cur/1.Mx.poweron-sources:2,S');
    const manifest = new Map([
      ['m', { id: 'm', type: 'file' as const, path: first.get('m')!, size: 1, mtime: 1, rsize: 1, rtime: 1 }],
    ]);
    expect(assignPaths(remote, manifest, (s) => s).get('m')).toBe('cur/1.Mx.poweron-sources:2,S');
  });
});
