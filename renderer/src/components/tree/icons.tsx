/** Small decorative 16×16 line glyphs for the tree (aria-hidden; the row's name carries the meaning). */
import type { ReactElement } from 'react';
import type { SourceNode } from '../../../../shared/model/sources';

const PAGE = 'M4 1.5h5.5L12.5 4.5v10h-8.5z M9.5 1.5v3h3';

const GLYPHS: Record<string, string> = {
  folder: 'M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z',
  file: PAGE,
  text: `${PAGE} M6 7.5h4.5 M6 9.5h4.5 M6 11.5h3`,
  pdf: `${PAGE} M6 8h4.5v4h-4.5z`,
  image: `${PAGE} M5.5 12.5l2-2.5 1.5 1.5 1-1 1.5 2z M9.5 7.5h.01`,
  video: `${PAGE} M7 7.5v4l3.5-2z`,
  audio: `${PAGE} M8 11.5v-4.5l2.5-.5 M8 11.5a1 1 0 1 1-1.5-.8`,
  archive: `${PAGE} M8 3v1.5 M8 5.5v1.5 M8 8v1.5 M7 10.5h2v2h-2z`,
  code: `${PAGE} M7 8l-1.5 1.5 1.5 1.5 M9.5 8l1.5 1.5-1.5 1.5`,
  spreadsheet: `${PAGE} M5.5 7h5.5v5.5h-5.5z M5.5 9.75h5.5 M8.25 7v5.5`,
  presentation: `${PAGE} M6 12v-2 M8.25 12v-4 M10.5 12v-3`,
  drive: 'M1.5 9.5l2-6h9l2 6v3.5h-13z M1.5 9.5h13 M11.5 11.25h.01',
  account: 'M8 8a2.75 2.75 0 1 0 0-5.5a2.75 2.75 0 0 0 0 5.5z M2.5 14.5c.5-3 2.75-4.5 5.5-4.5s5 1.5 5.5 4.5',
  connection:
    'M6.5 9.5l3-3 M5 8l-1.75 1.75a2.5 2.5 0 0 0 3.5 3.5L8.5 11.5 M11 8l1.75-1.75a2.5 2.5 0 0 0-3.5-3.5L7.5 4.5',
  cloud: 'M4.5 12.5a3 3 0 0 1-.5-6 4 4 0 0 1 7.75-1 3.5 3.5 0 0 1 .25 7z',
  calendar: 'M2 3.5h12v10.5h-12z M2 6.5h12 M5 2v3 M11 2v3',
  event: 'M2 3.5h12v10.5h-12z M2 6.5h12 M5 2v3 M11 2v3 M6.5 10l1.25 1.25 2.5-2.5',
  addressbook:
    'M3.5 1.5h9v13h-9z M2 4.5h2.5 M2 8h2.5 M2 11.5h2.5 M8.5 7.5a1.5 1.5 0 1 0 0-.01 M6.5 12c.3-1.5 1-2.25 2-2.25s1.7.75 2 2.25',
  mail: 'M1.5 3.5h13v9.5h-13z M1.5 3.5l6.5 5.5 6.5-5.5',
  mailfolder: 'M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z M4.5 8h7 M4.5 10.5h7',
  message: 'M1.5 6.5l6.5-4.5 6.5 4.5v7.5h-13z M1.5 6.5l6.5 4.5 6.5-4.5',
  error: 'M8 1.75l6.5 12h-13z M8 6v3.5 M8 11.5h.01',
  lock: 'M4 7.5h8v6.5h-8z M5.5 7.5v-2a2.5 2.5 0 0 1 5 0v2',
  maintenance: 'M10 2a3 3 0 0 0-2.8 4l-5 5a1.2 1.2 0 0 0 1.8 1.8l5-5A3 3 0 0 0 13 5l-1.75 1.75-1.75-.25-.25-1.75z',
  chevron: 'M6 4l4 4-4 4',
};

const FILE_TYPES = new Set([
  'text',
  'pdf',
  'image',
  'video',
  'audio',
  'archive',
  'code',
  'spreadsheet',
  'presentation',
]);

/** Which glyph a node shows; also used as a CSS modifier (`st-icon--<glyph>`). */
export function glyphFor(node: Pick<SourceNode, 'kind' | 'fileType' | 'service'>): string {
  switch (node.kind) {
    case 'file':
      return node.fileType && FILE_TYPES.has(node.fileType) ? node.fileType : 'file';
    case 'service':
      switch (node.service) {
        case 'calendar':
          return 'calendar';
        case 'contacts':
          return 'addressbook';
        case 'mail':
          return 'mail';
        default:
          return 'cloud';
      }
    case 'contact':
      return 'account';
    case 'mailbox':
      return 'mail';
    case 'shared':
      return 'folder';
    default:
      return node.kind in GLYPHS ? node.kind : 'file';
  }
}

export function Glyph({ name, className }: { name: string; className?: string }): ReactElement {
  return (
    <svg
      className={className ?? `st-icon st-icon--${name}`}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.25"
      strokeLinecap="round"
      strokeLinejoin="round"
      data-glyph={name}
    >
      <path d={GLYPHS[name] ?? GLYPHS.file} />
    </svg>
  );
}

export function NodeIcon({ node }: { node: Pick<SourceNode, 'kind' | 'fileType' | 'service'> }): ReactElement {
  return <Glyph name={glyphFor(node)} />;
}
