import { describe, expect, it } from 'vitest';
import { isWebAppUrl } from '../../shared/model/web-app';
import { childId, connectionNodeId, serviceNodeId } from './ids';
import { webAppUrl, webAppUrlOf } from './web-app';

const kdrive = serviceNodeId('c1', 'kdrive');
const drive = childId(childId(kdrive, 'acct', 7), 'drive', 764000);

describe('web app links', () => {
  it('builds kDrive drive, folder and file pages and the start pages of Calendar, Contacts and Mail from the node id', () => {
    expect(webAppUrlOf(drive)).toBe('https://kdrive.infomaniak.com/app/drive/764000');
    expect(webAppUrlOf(childId(drive, 'f', 123))).toBe('https://kdrive.infomaniak.com/app/drive/764000/redirect/123');
    expect(webAppUrlOf(kdrive)).toBe('https://kdrive.infomaniak.com/app/drive');
    expect(webAppUrlOf(childId(childId(serviceNodeId('c1', 'calendar'), 'cal', 1), 'ev', 'x/y'))).toBe(
      'https://calendar.infomaniak.com/',
    );
    expect(webAppUrlOf(serviceNodeId('c1', 'contacts'))).toBe('https://contacts.infomaniak.com/');
    expect(webAppUrlOf(childId(serviceNodeId('c1', 'mail'), 'mbox', 'a@b.ch'))).toBe('https://mail.infomaniak.com/');
  });

  it('has no page for connections, accounts, malformed ids or ids that would smuggle text into the URL', () => {
    expect(webAppUrlOf(connectionNodeId('c1'))).toBeNull();
    expect(webAppUrlOf(childId(kdrive, 'acct', 7))).toBeNull();
    expect(webAppUrlOf('https://evil.example/')).toBeNull();
    expect(webAppUrlOf(childId(childId(kdrive, 'drive', '1@evil.example'), 'f', 2))).toBeNull();
    expect(webAppUrlOf(childId(drive, 'f', '12/../../x'))).toBeNull();
    expect(webAppUrlOf(childId(drive, 'f', '0'))).toBeNull();
    expect(() => webAppUrl(connectionNodeId('c1'), true)).toThrow('no page');
    expect(() => webAppUrl(drive, false)).toThrow('not known');
  });

  it('the allowlist takes only https Infomaniak web app origins, exactly as written', () => {
    expect(isWebAppUrl('https://kdrive.infomaniak.com/app/drive/1/redirect/2')).toBe(true);
    for (const bad of [
      'http://kdrive.infomaniak.com/app',
      'https://kdrive.infomaniak.com.evil.example/',
      'https://user:pw@kdrive.infomaniak.com/',
      'https://kdrive.infomaniak.com/#x',
      'https://manager.infomaniak.com/',
      'javascript:alert(1)',
      'https://KDRIVE.infomaniak.com/',
      `https://kdrive.infomaniak.com/${'a'.repeat(300)}`,
      'not a url',
    ])
      expect(isWebAppUrl(bad), bad).toBe(false);
  });
});
