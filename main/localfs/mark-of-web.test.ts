/**
 * Mark-of-the-Web (issue 8.16): each OS branch with the platform passed in and fs/execFile faked,
 * so Windows and macOS are tested on Linux too.
 */
import { describe, expect, it, vi } from 'vitest';
import { markDownloaded, originOnly, quarantineValue, zoneIdentifier } from './mark-of-web';
import type { MarkDeps } from './mark-of-web';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const UUID = '3f0e9c1a-7b2d-4c55-9e61-0a1b2c3d4e5f';

function deps(platform: string, overrides: Partial<MarkDeps> = {}) {
  const writeFile = vi.fn<MarkDeps['writeFile']>(async () => undefined);
  const execFile = vi.fn<MarkDeps['execFile']>(async () => undefined);
  return { platform, writeFile, execFile, now: () => NOW, uuid: () => UUID, ...overrides };
}

describe('originOnly', () => {
  it('keeps scheme, host and port only: never a path, query, fragment or credentials', () => {
    expect(originOnly('https://storage.example.com:8443/sig/abc123/file.bin?token=s3cr3t#x')).toBe(
      'https://storage.example.com:8443',
    );
    expect(originOnly('https://user:pass@api.infomaniak.com/2/drive')).toBe('https://api.infomaniak.com');
    expect(originOnly('javascript:alert(1)')).toBeUndefined();
    expect(originOnly('file:///etc/passwd')).toBeUndefined();
    expect(originOnly('not a url')).toBeUndefined();
    expect(originOnly(undefined)).toBeUndefined();
  });
});

describe('markDownloaded', () => {
  it('Windows: writes the Zone.Identifier stream, Internet zone, origins only', async () => {
    const d = deps('win32');
    const result = await markDownloaded(
      'C:\\Users\\anna\\Downloads\\Plan.pdf',
      { origin: 'https://api.infomaniak.com/2/drive/1/files/9/download?access_token=pat-123' },
      d,
    );
    expect(result).toBe('zone-identifier');
    expect(d.writeFile).toHaveBeenCalledTimes(1);
    expect(d.writeFile).toHaveBeenCalledWith(
      'C:\\Users\\anna\\Downloads\\Plan.pdf:Zone.Identifier',
      '[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://api.infomaniak.com\r\nHostUrl=https://api.infomaniak.com\r\n',
    );
    const written = vi.mocked(d.writeFile).mock.calls[0]![1];
    expect(written).not.toContain('pat-123');
    expect(written).not.toContain('/2/drive');
    expect(d.execFile).not.toHaveBeenCalled();
  });

  it('Windows without a known origin: the zone only', async () => {
    const d = deps('win32');
    await markDownloaded('C:\\d\\Kalender.ics', {}, d);
    expect(d.writeFile).toHaveBeenCalledWith('C:\\d\\Kalender.ics:Zone.Identifier', '[ZoneTransfer]\r\nZoneId=3\r\n');
    expect(zoneIdentifier('ftp://x.example')).toBe('[ZoneTransfer]\r\nZoneId=3\r\n');
  });

  it('macOS: com.apple.quarantine through /usr/bin/xattr with an argument array', async () => {
    const d = deps('darwin');
    const result = await markDownloaded('/Users/anna/Downloads/Plan.pdf', { origin: 'https://api.infomaniak.com' }, d);
    expect(result).toBe('quarantine');
    const value = `0081;${Math.floor(NOW / 1000).toString(16)};PowerOn Sources;${UUID.toUpperCase()}`;
    expect(quarantineValue(NOW, UUID)).toBe(value);
    expect(value).toMatch(/^0081;[0-9a-f]{8};PowerOn Sources;[0-9A-F-]{36}$/);
    expect(d.execFile).toHaveBeenCalledWith('/usr/bin/xattr', [
      '-w',
      'com.apple.quarantine',
      value,
      '/Users/anna/Downloads/Plan.pdf',
    ]);
    expect(d.writeFile).not.toHaveBeenCalled();
  });

  it('macOS: a name that could pass for an option is never handed to xattr', async () => {
    const d = deps('darwin');
    const log = vi.fn();
    expect(await markDownloaded('-rf', { log }, d)).toBe('failed');
    expect(d.execFile).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('macOS without xattr: skipped gracefully, said in the log', async () => {
    const log = vi.fn();
    const missing = Object.assign(new Error('spawn /usr/bin/xattr ENOENT'), { code: 'ENOENT' });
    const d = deps('darwin', { execFile: vi.fn(async () => Promise.reject(missing)) });
    expect(await markDownloaded('/tmp/a.txt', { log }, d)).toBe('unsupported');
    expect(log.mock.calls[0]![0]).toContain('/usr/bin/xattr is missing');
  });

  it('Linux: no mark exists, nothing is written or run', async () => {
    const d = deps('linux');
    expect(await markDownloaded('/home/anna/Downloads/Plan.pdf', { origin: 'https://api.infomaniak.com' }, d)).toBe(
      'unsupported',
    );
    expect(d.writeFile).not.toHaveBeenCalled();
    expect(d.execFile).not.toHaveBeenCalled();
  });

  it('a failure never throws: logged without the origin or path, reported as failed', async () => {
    const log = vi.fn();
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const d = deps('win32', { writeFile: vi.fn(async () => Promise.reject(denied)) });
    await expect(markDownloaded('E:\\fat32\\Plan.pdf', { origin: 'https://api.infomaniak.com', log }, d)).resolves.toBe(
      'failed',
    );
    expect(log).toHaveBeenCalledWith(expect.stringContaining('EACCES'));
  });
});
