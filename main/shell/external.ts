/**
 * Opens one of the known external pages in the user's browser. The URLs are literals here on
 * purpose: Electronegativity (OPEN_EXTERNAL_JS_CHECK) can then see that nothing else reaches
 * `openExternal`. They must equal `EXTERNAL_PAGES` in shared/model/external-pages.ts (the one list;
 * `external.test.ts` checks it), and the switch must cover every page (the compiler checks that).
 */
import type { Shell } from 'electron';
import type { ExternalPage } from '../../shared/model/external-pages';
import { isWebAppUrl } from '../../shared/model/web-app';

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

/**
 * Opens a node's page in an Infomaniak web app. The URL was built by main from a node id
 * (sources/web-app.ts) and is checked again here, right before the call, against the allowlist of
 * web app origins (shared/model/web-app.ts): https, one of four Infomaniak origins, nothing else.
 * The one reviewed non-literal `openExternal` of the app (scripts/electronegativity.mjs names it).
 */
export async function openWebAppUrl(shell: Pick<Shell, 'openExternal'>, url: string): Promise<void> {
  if (!isWebAppUrl(url)) throw new Error('Only Infomaniak web app addresses are opened.');
  return shell.openExternal(url);
}
