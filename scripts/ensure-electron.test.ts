import { describe, expect, it } from 'vitest';
import { decide, downloadFailed } from './ensure-electron.mjs';

describe('ensure-electron decides without network (issue 8.18)', () => {
  it('does nothing when the binary is there (or overridden), in either mode', () => {
    for (const mode of ['install', 'start'] as const) {
      expect(decide({ installed: true, mode, env: { CI: '1' } })).toEqual({ action: 'none' });
      expect(decide({ installed: false, mode, env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' } })).toEqual({
        action: 'none',
      });
    }
  });

  it('postinstall downloads, except on CI or with downloads turned off, and never fails the install', () => {
    expect(decide({ installed: false, mode: 'install', env: {} })).toEqual({ action: 'download' });
    for (const env of [{ CI: 'true' }, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, { POWERON_SKIP_ELECTRON: '1' }]) {
      const d = decide({ installed: false, mode: 'install', env });
      expect(d.action).toBe('skip');
      expect(d.message).toContain('npx install-electron');
    }
  });

  it('npm start downloads the missing binary first, even on CI', () => {
    expect(decide({ installed: false, mode: 'start', env: {} })).toEqual({ action: 'download' });
    expect(decide({ installed: false, mode: 'start', env: { CI: 'true' } })).toEqual({ action: 'download' });
  });

  it('npm start with downloads turned off stops and says exactly what to run', () => {
    const d = decide({ installed: false, mode: 'start', env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
    expect(d.action).toBe('refuse');
    expect(d.message).toContain('Run `npx install-electron` once, then `npm start` again.');
    expect(downloadFailed('start')).toContain('run `npx install-electron`, then `npm start` again');
  });
});
