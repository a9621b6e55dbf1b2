/**
 * Opens one of the known external pages in the user's browser. The URLs are literals here on
 * purpose: Electronegativity (OPEN_EXTERNAL_JS_CHECK) can then see that nothing else reaches
 * `openExternal`. They must equal `EXTERNAL_PAGES` in shared/model/external-pages.ts (the one list;
 * `external.test.ts` checks it), and the switch must cover every page (the compiler checks that).
 */
import type { Shell } from 'electron';
import type { ExternalPage } from '../../shared/model/external-pages';

export async function openExternalPage(shell: Pick<Shell, 'openExternal'>, page: ExternalPage): Promise<void> {
  switch (page) {
    case 'tokenPage':
      return shell.openExternal('https://manager.infomaniak.com/v3/ng/accounts/token/list');
    case 'scopesHelp':
      return shell.openExternal('https://developer.infomaniak.com/getting-started');
    default: {
      const unknown: never = page;
      throw new Error(`No external page "${String(unknown)}".`);
    }
  }
}
