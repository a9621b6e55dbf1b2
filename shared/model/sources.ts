import type { AppError } from './errors';
import type { ServiceId } from './connection';

export type SourceKind =
  | 'connection'
  | 'service'
  | 'account'
  | 'drive'
  | 'folder'
  /** kDrive's "Shared with me": files and folders of other drives shared with the user. */
  | 'shared'
  | 'file'
  | 'calendar'
  | 'event'
  | 'addressbook'
  | 'contact'
  | 'mailbox'
  | 'mailfolder'
  | 'message'
  | 'error';

export interface SourceNodeState {
  kind: 'maintenance' | 'locked' | 'disabled' | 'error';
  /** Message for the user; `error` carries the code when the state is an error. */
  reason: string;
  error?: AppError;
  retryable?: boolean;
}

/** One row of the Sources tree, as main describes it to the renderer. Plain data only. */
export interface SourceNode {
  /** Unique across the app; opaque to the renderer. */
  id: string;
  parentId: string | null;
  kind: SourceKind;
  service?: ServiceId;
  name: string;
  /** Whether it can be expanded. */
  expandable: boolean;
  /** Whether "Download" applies (file, folder, event, calendar, contact, address book, message). */
  downloadable: boolean;
  size?: number;
  /** Unix milliseconds. */
  modifiedAt?: number;
  createdAt?: number;
  mimeType?: string;
  /** Icon hint: image, pdf, text, video, audio, archive, code, spreadsheet, presentation, … */
  fileType?: string;
  /** Secondary text: event date/time, a contact's first email, a message's sender. */
  subtitle?: string;
  /** Number of children when known up front. */
  childCount?: number;
  state?: SourceNodeState;
  /** Key/value facts for the details pane (path, account, drive, …). Values are display strings. */
  details?: Record<string, string>;
}

/** A page of children, streamed main → renderer while a listing runs. */
export interface SourcePage {
  listingId: string;
  parentId: string;
  nodes: SourceNode[];
  /** The first page replaces what the renderer had for the parent; later pages append. */
  first: boolean;
  /** True on the last page (also when the listing failed). */
  done: boolean;
  /** Total number of children when the API tells it. */
  total?: number;
  error?: AppError;
  /**
   * A status page (no nodes, not first, not done): a request of the listing waits for the token's
   * request budget this many seconds; 0 when it goes on.
   */
  waitSeconds?: number;
}
