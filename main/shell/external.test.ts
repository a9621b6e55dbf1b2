import { describe, expect, it } from 'vitest';
import { EXTERNAL_PAGES, externalPageSchema } from '../../shared/model/external-pages';
import { openExternalPage, openWebAppUrl } from './external';

describe('external pages', () => {
  it('the Electron shell opens exactly the URL of the one list for every page', async () => {
    for (const page of externalPageSchema.options) {
      const opened: string[] = [];
      await openExternalPage({ openExternal: async (url: string) => void opened.push(url) }, page);
      expect(opened).toEqual([EXTERNAL_PAGES[page]]);
    }
  });

  it('refuses anything that is not a known page', async () => {
    await expect(
      openExternalPage({ openExternal: async () => undefined }, 'https://evil.example' as never),
    ).rejects.toThrow('No external page');
  });

  it('opens an Infomaniak web app URL and refuses every other address before it reaches openExternal', async () => {
    const opened: string[] = [];
    const shell = { openExternal: async (url: string) => void opened.push(url) };
    await openWebAppUrl(shell, 'https://kdrive.infomaniak.com/app/drive/1/redirect/2');
    for (const bad of ['https://evil.example/', 'file:///etc/passwd', 'http://mail.infomaniak.com/'])
      await expect(openWebAppUrl(shell, bad)).rejects.toThrow('Only Infomaniak web app addresses');
    expect(opened).toEqual(['https://kdrive.infomaniak.com/app/drive/1/redirect/2']);
  });
});
