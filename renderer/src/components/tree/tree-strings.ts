/**
 * Strings of the Sources tree and its details pane. Plain objects so they can be merged into the
 * i18next resources (placeholders use i18next's `{{name}}` syntax); the components take them as
 * `labels` props and have no i18next dependency.
 */
import type { ServiceId } from '../../../../shared/model/connection';
import type { AppError } from '../../../../shared/model/errors';
import type { SourceKind, SourceNode, SourceNodeState } from '../../../../shared/model/sources';
import type { Plural } from './format';

export interface DetailsLabels {
  /** Heading of the pane. */
  title: string;
  noSelection: string;
  /** `{{count}}`: number of selected items (plural forms, see `Plural`). */
  multipleSelected: Plural;
  /** `{{count}}` items, `{{size}}` their known total size. */
  multipleSelectedSize: Plural;
  /** As above when some sizes are unknown. */
  multipleSelectedAtLeast: Plural;
  /** `{{kind}}, {{count}} items`: a folder-like node with its number of items. */
  kindWithItems: Plural;
  kind: string;
  name: string;
  size: string;
  modified: string;
  created: string;
  mimeType: string;
  items: string;
  status: string;
  /** Where an item without a path in kDrive is in the tree (what Copy location copies). */
  location: string;
  /** Translations for keys of `SourceNode.details` (path, account, drive, …); unknown keys show as they are. */
  keys: Record<string, string>;
}

export interface TreeLabels {
  /** Status row while children load. */
  loading: string;
  /** `{{seconds}}`: status row while the listing waits for the token's request budget. */
  waiting: string;
  retry: string;
  /** Status row of an expanded folder without children. */
  empty: string;
  /** `{{message}}`: the error text. Status row of a failed listing. */
  loadFailed: string;
  /** Shown instead of rows when there is nothing at all. */
  noItems: string;
  /** Shown instead of rows when a filter matches nothing. */
  noMatches: string;
  columnName: string;
  columnSize: string;
  columnModified: string;
  /** A mailbox's or mail folder's count of unread messages, as read out beside its name. */
  unread: Plural;
  maintenance: string;
  locked: string;
  disabled: string;
  error: string;
  /** Badge on a row that a sync pair keeps on this computer (the pair's remote folder). */
  synced: string;
  /** `{{path}}`: that badge's description and tooltip, the pair's local folder. */
  syncedTo: string;
  kinds: Record<SourceKind, string>;
  /** Names of the service rows (main names them in English). */
  services: Record<ServiceId, string>;
  details: DetailsLabels;
}

export const en: TreeLabels = {
  loading: 'Loading…',
  waiting: "Waiting for Infomaniak's rate limit, {{seconds}} s",
  retry: 'Retry',
  empty: 'Empty',
  loadFailed: 'Could not load: {{message}}',
  noItems: 'Nothing here yet.',
  noMatches: 'No loaded item matches the filter.',
  columnName: 'Name',
  columnSize: 'Size',
  columnModified: 'Modified',
  unread: { one: '{{count}} unread', other: '{{count}} unread' },
  maintenance: 'In maintenance',
  locked: 'Locked',
  disabled: 'Unavailable',
  error: 'Error',
  synced: 'Synced',
  syncedTo: 'kept in sync with {{path}}',
  kinds: {
    connection: 'Connection',
    service: 'Service',
    account: 'Account',
    drive: 'Drive',
    folder: 'Folder',
    shared: 'Shared with me',
    file: 'File',
    calendar: 'Calendar',
    event: 'Event',
    addressbook: 'Address book',
    contact: 'Contact',
    mailbox: 'Mailbox',
    mailfolder: 'Mail folder',
    message: 'Message',
    error: 'Error',
  },
  services: { kdrive: 'kDrive', calendar: 'Calendar', contacts: 'Contacts', mail: 'Mail' },
  details: {
    title: 'Details',
    noSelection: 'Select an item to see its details.',
    multipleSelected: { one: '{{count}} item selected', other: '{{count}} items selected' },
    multipleSelectedSize: { one: '{{count}} item selected, {{size}}', other: '{{count}} items selected, {{size}}' },
    multipleSelectedAtLeast: {
      one: '{{count}} item selected, at least {{size}}',
      other: '{{count}} items selected, at least {{size}}',
    },
    kindWithItems: { one: '{{kind}}, {{count}} item', other: '{{kind}}, {{count}} items' },
    kind: 'Type',
    name: 'Name',
    size: 'Size',
    modified: 'Modified',
    created: 'Created',
    mimeType: 'Format',
    items: 'Items',
    status: 'Status',
    location: 'Location',
    keys: {
      path: 'Path in kDrive',
      account: 'Account',
      drive: 'Drive',
      owner: 'Owner',
      email: 'Email',
      organizer: 'Organizer',
      location: 'Location',
      from: 'From',
      to: 'To',
      date: 'Date',
      quota: 'Used',
      role: 'Role',
      pack: 'Plan',
      id: 'ID',
      status: 'Status',
      accounts: 'Accounts',
      scopes: 'Scopes',
      window: 'Days back / ahead',
      calendar: 'Calendar',
      repeats: 'Repeats',
      when: 'When',
      organization: 'Organization',
      file: 'File name',
      sharedBy: 'Shared by',
    },
  },
};

export const de: TreeLabels = {
  loading: 'Wird geladen…',
  waiting: 'Wartet auf das Anfragelimit von Infomaniak, {{seconds}} s',
  retry: 'Erneut versuchen',
  empty: 'Leer',
  loadFailed: 'Laden fehlgeschlagen: {{message}}',
  noItems: 'Noch nichts vorhanden.',
  noMatches: 'Kein geladenes Element passt zum Filter.',
  columnName: 'Name',
  columnSize: 'Grösse',
  columnModified: 'Geändert',
  unread: { one: '{{count}} ungelesen', other: '{{count}} ungelesen' },
  maintenance: 'In Wartung',
  locked: 'Gesperrt',
  disabled: 'Nicht verfügbar',
  error: 'Fehler',
  synced: 'Synchron',
  syncedTo: 'synchron gehalten mit {{path}}',
  kinds: {
    connection: 'Verbindung',
    service: 'Dienst',
    account: 'Konto',
    drive: 'Laufwerk',
    folder: 'Ordner',
    shared: 'Mit mir geteilt',
    file: 'Datei',
    calendar: 'Kalender',
    event: 'Termin',
    addressbook: 'Adressbuch',
    contact: 'Kontakt',
    mailbox: 'Postfach',
    mailfolder: 'Mail-Ordner',
    message: 'Nachricht',
    error: 'Fehler',
  },
  services: { kdrive: 'kDrive', calendar: 'Kalender', contacts: 'Kontakte', mail: 'Mail' },
  details: {
    title: 'Details',
    noSelection: 'Wählen Sie ein Element aus, um seine Details zu sehen.',
    multipleSelected: { one: '{{count}} Element ausgewählt', other: '{{count}} Elemente ausgewählt' },
    multipleSelectedSize: {
      one: '{{count}} Element ausgewählt, {{size}}',
      other: '{{count}} Elemente ausgewählt, {{size}}',
    },
    multipleSelectedAtLeast: {
      one: '{{count}} Element ausgewählt, mindestens {{size}}',
      other: '{{count}} Elemente ausgewählt, mindestens {{size}}',
    },
    kindWithItems: { one: '{{kind}}, {{count}} Element', other: '{{kind}}, {{count}} Elemente' },
    kind: 'Typ',
    name: 'Name',
    size: 'Grösse',
    modified: 'Geändert',
    created: 'Erstellt',
    mimeType: 'Format',
    items: 'Elemente',
    status: 'Status',
    location: 'Ort',
    keys: {
      path: 'Pfad in kDrive',
      account: 'Konto',
      drive: 'Laufwerk',
      owner: 'Eigentümer',
      email: 'E-Mail',
      organizer: 'Organisator',
      location: 'Ort',
      from: 'Von',
      to: 'An',
      date: 'Datum',
      quota: 'Belegt',
      accounts: 'Konten',
      scopes: 'Berechtigungen',
      window: 'Tage zurück / voraus',
      calendar: 'Kalender',
      repeats: 'Wiederholung',
      when: 'Wann',
      organization: 'Organisation',
      file: 'Dateiname',
      sharedBy: 'Geteilt von',
      role: 'Rolle',
      pack: 'Tarif',
      id: 'ID',
      status: 'Status',
    },
  },
};

export const treeStrings: Record<'en' | 'de', TreeLabels> = { en, de };

/** The name a row shows: a service and "Shared with me" in the UI's language, anything else as main named it. */
export function displayName(node: SourceNode, labels: TreeLabels): string {
  if (node.kind === 'shared') return labels.kinds.shared;
  return node.kind === 'service' && node.service ? labels.services[node.service] : node.name;
}

/**
 * What Copy path copies (one form per item, the one Details shows): a kDrive item's path in its
 * drive ("/Common documents/Projekte/Konzept.pdf", as Details and kDrive itself show it); an item
 * without one (calendars, contacts, mail) its location in the tree ("Calendar / Arbeit / Apéro").
 */
export function copyablePath(
  id: string,
  getNode: (id: string) => SourceNode | undefined,
  labels: TreeLabels,
): { kind: 'path' | 'location'; text: string } | null {
  const node = getNode(id);
  if (!node) return null;
  const path = node.details?.path;
  if (path) return { kind: 'path', text: path };
  return { kind: 'location', text: displayPath(id, getNode, labels) };
}

/**
 * A node's path as the tree shows it, from its service down: "kDrive / Muster AG / Projekte /
 * Konzept.pdf" (names as displayed; the connection is left out, it is the account's label).
 */
export function displayPath(id: string, getNode: (id: string) => SourceNode | undefined, labels: TreeLabels): string {
  const parts: string[] = [];
  for (let node = getNode(id); node && node.kind !== 'connection';) {
    parts.unshift(displayName(node, labels));
    node = node.parentId !== null ? getNode(node.parentId) : undefined;
    if (parts.length > 64) break; // deeper than any tree the app lists
  }
  return parts.join(' / ');
}

/**
 * What a node's state says beyond its kind: main's reason is an English sentence, shown in English;
 * other languages word the state's error (code, reason, params) when it carries one, else nothing.
 */
export function stateDetail(state: SourceNodeState, locale: string, formatError?: (error: AppError) => string): string {
  if (locale === 'en' && state.reason) return state.reason;
  return state.error && formatError ? formatError(state.error) : '';
}

/** A node's state in words: its kind, and the detail where there is one. */
export function stateText(
  state: SourceNodeState,
  labels: TreeLabels,
  locale: string,
  formatError?: (error: AppError) => string,
): string {
  const detail = stateDetail(state, locale, formatError);
  return detail ? `${labels[state.kind]}: ${detail}` : labels[state.kind];
}
