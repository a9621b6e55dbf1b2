/** Deutsche Texte zu Vorschau und Versionen einer kDrive-Datei in den Details (in de.ts eingefügt). */
import type { Strings } from './en';

export const deFileExtras: Pick<Strings, 'fileExtras'> = {
  fileExtras: {
    previewAlt: 'Vorschau von {{name}}',
    previewLarger: 'Grössere Vorschau',
    previewLoading: 'Vorschau wird geladen…',
    previewNone: 'Keine Vorschau für diese Datei.',
    previewTitle: 'Vorschau: {{name}}',
    previewClose: 'Schliessen',
    versions: 'Versionen',
    versionsLoading: 'Versionen werden geladen…',
    versionsNone: 'Keine früheren Versionen.',
    versionsFailed: 'Die Versionen konnten nicht geladen werden: {{message}}',
    versionCurrent: 'aktuell',
    versionBy: 'von {{name}}',
    versionDownload: 'Diese Version herunterladen',
    versionDownloadLabel: 'Die Version vom {{date}} herunterladen',
  },
};
