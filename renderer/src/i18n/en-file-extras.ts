/** English UI text of a kDrive file's preview and versions in Details (spread into en.ts; issue 24). */
export const enFileExtras = {
  fileExtras: {
    previewAlt: 'Preview of {{name}}',
    previewLarger: 'Larger preview',
    previewLoading: 'Loading preview…',
    previewNone: 'No preview for this file.',
    previewTitle: 'Preview: {{name}}',
    previewClose: 'Close',
    versions: 'Versions',
    versionsLoading: 'Loading versions…',
    versionsNone: 'No earlier versions.',
    versionsFailed: 'The versions could not be loaded: {{message}}',
    versionCurrent: 'current',
    versionBy: 'by {{name}}',
    versionDownload: 'Download this version',
    versionDownloadLabel: 'Download the version of {{date}}',
  },
};
