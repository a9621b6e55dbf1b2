/** MIME types and kDrive's `extension_type` from a file name. [guess] the extension_type buckets. */

const TYPES: Record<string, [mime: string, extensionType: string]> = {
  jpg: ['image/jpeg', 'image'],
  jpeg: ['image/jpeg', 'image'],
  png: ['image/png', 'image'],
  gif: ['image/gif', 'image'],
  webp: ['image/webp', 'image'],
  heic: ['image/heic', 'image'],
  svg: ['image/svg+xml', 'image'],
  pdf: ['application/pdf', 'pdf'],
  txt: ['text/plain', 'text'],
  md: ['text/markdown', 'text'],
  rtf: ['application/rtf', 'text'],
  doc: ['application/msword', 'text'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text'],
  odt: ['application/vnd.oasis.opendocument.text', 'text'],
  csv: ['text/csv', 'spreadsheet'],
  xls: ['application/vnd.ms-excel', 'spreadsheet'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'spreadsheet'],
  ods: ['application/vnd.oasis.opendocument.spreadsheet', 'spreadsheet'],
  ppt: ['application/vnd.ms-powerpoint', 'presentation'],
  pptx: ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'presentation'],
  odp: ['application/vnd.oasis.opendocument.presentation', 'presentation'],
  mp4: ['video/mp4', 'video'],
  mov: ['video/quicktime', 'video'],
  mp3: ['audio/mpeg', 'audio'],
  wav: ['audio/wav', 'audio'],
  zip: ['application/zip', 'archive'],
  gz: ['application/gzip', 'archive'],
  tar: ['application/x-tar', 'archive'],
  json: ['application/json', 'code'],
  js: ['text/javascript', 'code'],
  ts: ['text/plain', 'code'],
  html: ['text/html', 'code'],
  css: ['text/css', 'code'],
  py: ['text/x-python', 'code'],
  eml: ['message/rfc822', 'email'],
  ics: ['text/calendar', 'text'],
  vcf: ['text/vcard', 'text'],
};

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function mimeFor(name: string): string {
  return TYPES[extensionOf(name)]?.[0] ?? 'application/octet-stream';
}

export function extensionTypeFor(name: string, mime?: string): string {
  const known = TYPES[extensionOf(name)]?.[1];
  if (known) return known;
  if (mime?.startsWith('image/')) return 'image';
  if (mime?.startsWith('video/')) return 'video';
  if (mime?.startsWith('audio/')) return 'audio';
  if (mime?.startsWith('text/')) return 'text';
  return 'unknown';
}
