/** The one plain shape each PIM / Mail decoder normalizes into (see `../schemas.ts`). */

export interface PimCalendar {
  id: string;
  name: string;
  color?: string;
  description?: string;
  default?: boolean;
  account_id?: string;
}

export interface PimAttendee {
  /** E-mail address without `mailto:`. */
  address: string;
  name?: string;
  organizer: boolean;
  /** As the API gives it (e.g. `NEEDS-ACTION`, `ACCEPTED`); mapped to PARTSTAT when exporting. */
  state?: string;
}

export interface PimAlarm {
  /** Minutes before the event start (negative: after the start). */
  minutesBefore: number;
  action?: string;
  description?: string;
}

export interface PimAttachment {
  url: string;
  name?: string;
  mime?: string;
}

export interface PimEvent {
  id: string;
  /** The API's own iCalendar UID, when it gives one. */
  uid?: string;
  calendar_id?: string;
  title: string;
  description?: string;
  location?: string;
  /** ISO 8601 with offset, `yyyy-MM-dd` (all-day), or `yyyy-MM-dd HH:mm:ss` (wall time). Always readable. */
  start: string;
  /** Same forms as `start`; absent when missing or unreadable. */
  end?: string;
  timezone_start?: string;
  timezone_end?: string;
  /** True for `fullday` true/1/"1"/"true", and for a date-only `start`. */
  fullday: boolean;
  freebusy?: string;
  private?: boolean;
  status?: string;
  /** The rule without a leading `RRULE:` (e.g. `FREQ=WEEKLY;COUNT=5`). */
  rrule?: string;
  attendees?: PimAttendee[];
  alarms?: PimAlarm[];
  attachments?: PimAttachment[];
}

export interface PimAddressBook {
  id: string;
  uuid?: string;
  name: string;
  default: boolean;
  account_name?: string;
}

export interface PimTypedValue {
  value: string;
  /** Lower-case labels as given (`work`, `home`, `mobile`, …); mapped to vCard TYPE on export. */
  types: string[];
  pref?: boolean;
}

export interface PimPostalAddress {
  pobox?: string;
  extended?: string;
  street?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
  types: string[];
}

/** An embedded photo. Remote URLs are not kept: an export must not fetch or leak them. */
export interface PimPhoto {
  mime: string;
  base64: string;
}

export interface PimContact {
  id: string;
  uid?: string;
  addressbook_id?: string;
  name?: string;
  firstname?: string;
  lastname?: string;
  middlename?: string;
  prefix?: string;
  suffix?: string;
  nickname?: string;
  organization?: string;
  title?: string;
  note?: string;
  /** `yyyy-MM-dd`, or `--MM-dd` when the year is unknown. */
  birthday?: string;
  emails?: PimTypedValue[];
  phones?: PimTypedValue[];
  addresses?: PimPostalAddress[];
  urls?: string[];
  photo?: PimPhoto;
  /** Someone the user only corresponded with (`with=others`, docs/infomaniak-api.md): not a contact. */
  other?: boolean;
}

export interface MailMailbox {
  uuid: string;
  email?: string;
  mailbox?: string;
  is_primary: boolean;
  mailbox_id?: string;
  unseen_messages?: number;
}

export interface MailFolder {
  id: string;
  name: string;
  role?: string;
  unread_count?: number;
  total_count?: number;
  children: MailFolder[];
}

export interface MailAddress {
  email: string;
  name?: string;
}

export interface MailMessage {
  uid: string;
  subject: string;
  from: MailAddress[];
  /** Unix milliseconds. */
  date?: number;
  /** API path of the message; the raw `.eml` is at `{resource}/download` [guess]. */
  resource?: string;
  seen?: boolean;
  size?: number;
  /** The folder the message lives in (a thread may bring messages of other folders). */
  folder_id?: string;
}

export interface MailThread {
  id: string;
  /** The thread's own subject, else its first message's. */
  subject: string;
  /** Unix milliseconds of the newest message. */
  date?: number;
  messages: MailMessage[];
}

export interface Decoded<T> {
  items: T[];
  /** Records that were present but did not decode. */
  skipped: number;
  /** The first few of those records, as received (to name them). */
  rejected?: unknown[];
  /** True when the payload had no list in any of the accepted places. */
  unrecognized?: boolean;
  /**
   * The skipped records by their own `id` (all of them, unlike `rejected`); `all` when one had no
   * readable id. What a sync must treat as unknown, never as deleted.
   */
  unread?: { ids: string[]; all: boolean };
}

/** One attachment of a message, as its metadata describes it. */
export interface MailAttachmentMeta {
  /** The attachment's own API path (`…/message/{uid}/attachment/{id}`), when the answer gives one. */
  resource?: string;
  /** Its id in the attachment route: the last segment of `resource`, else `part_id`, `uuid` or `id`. */
  id: string;
  name: string;
  mime?: string;
  size?: number;
  /** `inline` or `attachment`, as given. */
  disposition?: string;
  /** Content-ID without angle brackets (an image the HTML shows). */
  contentId?: string;
}

/** One message as `…/message/{uid}?prefered_format=html` describes it (the parts an `.eml` needs). */
export interface MailMessageDetail {
  uid: string;
  /** The Message-ID header, as given (usually with angle brackets). */
  msgId?: string;
  subject: string;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  /** Unix milliseconds. */
  date?: number;
  inReplyTo?: string;
  references?: string;
  text?: string;
  html?: string;
  attachments: MailAttachmentMeta[];
}
