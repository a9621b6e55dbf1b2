/**
 * The only external pages the app opens, in the user's browser (never in a window of ours),
 * declared once: the renderer names a page (`app:openPage {page}`), main maps it to one of these
 * literal URLs. Nothing the renderer sends can become a URL.
 */
import { z } from 'zod';

export const externalPageSchema = z.enum(['tokenPage', 'scopesHelp']);
export type ExternalPage = z.infer<typeof externalPageSchema>;

export const EXTERNAL_PAGES: Readonly<Record<ExternalPage, string>> = Object.freeze({
  tokenPage: 'https://manager.infomaniak.com/v3/ng/accounts/token/list',
  scopesHelp: 'https://developer.infomaniak.com/getting-started',
});
