/**
 * Tolerant decoders for the Infomaniak PIM (Calendar, Contacts) and Mail JSON, written from
 * docs/infomaniak-api.md. Many sub-shapes there are [guess], so every decoder:
 * - accepts the plausible variants (ids as numbers or strings, booleans as 0/1, lists under
 *   `data.<name>` or as `data` itself, e-mails as strings or objects, …);
 * - ignores unknown fields (loose objects);
 * - normalizes into one plain shape (the exported interfaces), so consumers see one form;
 * - never throws for one bad record: `decodeList` skips it and counts it.
 * Only the fields that identify a record are required (an id, an event's readable start, a mailbox
 * uuid); everything else degrades to "absent".
 *
 * The decoders live in `decoders/`, one file per concern: `shapes.ts` (the output interfaces),
 * `values.ts` (tolerant field reads), `lists.ts` (`decodeList`, envelopes), `calendar.ts`,
 * `contacts.ts`, `mail.ts`, `mail-message.ts` (one message, parsed loudly). This file is their public face.
 */
export type * from './decoders/shapes';
export { decodeList, expectList, unwrapEnvelope } from './decoders/lists';
export {
  PimCalendarSchema,
  PimEventSchema,
  durationToMinutes,
  decodeCalendars,
  decodeEvents,
  decodeEvent,
} from './decoders/calendar';
export { PimAddressBookSchema, PimContactSchema, decodeAddressBooks, decodeContacts } from './decoders/contacts';
export {
  MailMailboxSchema,
  MailFolderSchema,
  MailMessageSchema,
  MailThreadSchema,
  decodeMailboxes,
  decodeMailFolders,
  decodeMailThreads,
  decodeMailMessages,
  requireMailList,
} from './decoders/mail';
export { decodeMailMessageDetail } from './decoders/mail-message';
