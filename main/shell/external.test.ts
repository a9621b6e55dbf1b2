import { describe, expect, it } from 'vitest';
import { EXTERNAL_PAGES, externalPageSchema } from '../../shared/model/external-pages';
import { openExternalPage } from './external';

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
});
