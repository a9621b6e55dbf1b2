/**
 * A file's kind in words ("PowerPoint presentation", "PNG image") from its MIME type or name,
 * instead of a raw MIME type. English and German; unknown kinds say "<EXT> file".
 */
import type { SourceNode } from '../../../../shared/model/sources';
import type { TreeLocale } from './format';

type Words = Record<'en' | 'de', string>;

const BY_MIME: Array<[RegExp, Words]> = [
  [
    /presentationml|ms-powerpoint|opendocument\.presentation/,
    { en: 'PowerPoint presentation', de: 'PowerPoint-Präsentation' },
  ],
  [/wordprocessingml|msword|opendocument\.text/, { en: 'Word document', de: 'Word-Dokument' }],
  [/spreadsheetml|ms-excel|opendocument\.spreadsheet|text\/csv/, { en: 'Spreadsheet', de: 'Tabelle' }],
  [/^application\/pdf$/, { en: 'PDF document', de: 'PDF-Dokument' }],
  [/^text\/markdown$/, { en: 'Markdown document', de: 'Markdown-Dokument' }],
  [/^text\/calendar$/, { en: 'Calendar file', de: 'Kalenderdatei' }],
  [/^text\/vcard$/, { en: 'Contact card', de: 'Kontaktkarte' }],
  [/^message\/rfc822$/, { en: 'Email message', de: 'E-Mail-Nachricht' }],
  [/^text\//, { en: 'Text document', de: 'Textdokument' }],
  [/zip|x-7z|x-tar|gzip|x-rar/, { en: 'Archive', de: 'Archiv' }],
  [/^video\//, { en: 'Video', de: 'Video' }],
  [/^audio\//, { en: 'Audio', de: 'Audio' }],
];

const BY_EXT: Record<string, string> = {
  pptx: 'application/vnd.ms-powerpoint',
  ppt: 'application/vnd.ms-powerpoint',
  key: 'application/vnd.ms-powerpoint',
  docx: 'application/msword',
  doc: 'application/msword',
  odt: 'application/msword',
  xlsx: 'application/vnd.ms-excel',
  xls: 'application/vnd.ms-excel',
  csv: 'text/csv',
  pdf: 'application/pdf',
  md: 'text/markdown',
  txt: 'text/plain',
  ics: 'text/calendar',
  vcf: 'text/vcard',
  eml: 'message/rfc822',
  zip: 'application/zip',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
};
for (const ext of ['png', 'jpg', 'jpeg', 'gif', 'webp', 'heic', 'svg', 'tif', 'tiff', 'bmp'])
  BY_EXT[ext] = `image/${ext}`;

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The kind of a file-like node in words, or undefined when nothing is known beyond "File". */
export function fileKindWords(node: Pick<SourceNode, 'name' | 'mimeType'>, locale: TreeLocale): string | undefined {
  const ext = extension(node.name);
  const mime = (node.mimeType ?? BY_EXT[ext] ?? '').toLowerCase();
  if (mime.startsWith('image/')) {
    const type = (ext || mime.slice(6)).toUpperCase();
    return locale === 'de' ? `${type}-Bild` : `${type} image`;
  }
  for (const [re, words] of BY_MIME) if (re.test(mime)) return words[locale];
  if (ext) return locale === 'de' ? `${ext.toUpperCase()}-Datei` : `${ext.toUpperCase()} file`;
  return undefined;
}
