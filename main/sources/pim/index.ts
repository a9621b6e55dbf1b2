/** PIM decoding and export: Calendar (.ics), Contacts (.vcf) and the Mail listing shapes. */
export * from './schemas';
export { eventsToIcs, eventToIcs, DEFAULT_PRODID, SYNC_DTSTAMP, type IcsOptions } from './ics';
export { contactsToVcf, contactToVcf, DEFAULT_VCARD_PRODID, type VcardVersion, type VcfOptions } from './vcard';
export * from './format';
export { resolveEventTimes, type EventTimes, type AllDayEventTimes, type TimedEventTimes } from './event-times';
