/**
 * The remote side of a calendar or address-book pair: `.ics`/`.vcf` generated from the PIM JSON,
 * either one file per collection or a vdir (one file per event/contact named by its UID, the
 * layout khal, khard and vdirsyncer read). Generated files have no remote time: a change is told
 * by the content hash.
 */
import { createHash } from 'node:crypto';
import type { SyncLayout } from '../../shared/model/sync';
import type { CalendarAdapter } from '../sources/calendar';
import type { ContactsAdapter } from '../sources/contacts';
import {
  addressBookFileName,
  calendarFileName,
  contactsToVcf,
  contactToVcf,
  eventsToIcs,
  eventToIcs,
} from '../sources/pim/index';
import type { AdapterContext } from '../sources/types';
import type { RemoteSource } from './engine';
import type { RemoteEntry } from './types';

const encoder = new TextEncoder();

/** A vdir file name from a UID: only characters every file system keeps. */
export function uidFileName(uid: string, ext: '.ics' | '.vcf'): string {
  const safe = uid.replace(/[^A-Za-z0-9@._+-]/g, '_').slice(0, 200) || '_';
  return `${safe}${ext}`;
}

function generated(files: Array<{ id: string; name: string; text: string }>): RemoteSource {
  const bytes = new Map<string, Uint8Array>();
  const entries = new Map<string, RemoteEntry>();
  for (const f of files) {
    if (entries.has(f.id)) continue; // a recurring event may come once per occurrence
    const data = encoder.encode(f.text);
    bytes.set(f.id, data);
    const hash = createHash('sha256').update(data).digest('hex');
    entries.set(f.id, { id: f.id, parent: null, name: f.name, type: 'file', size: data.byteLength, mtime: null, hash });
  }
  return {
    snapshot: async () => ({ entries, via: 'listing' }),
    itemFor: (e) => ({ segments: [e.name], size: e.size, content: async () => bytes.get(e.id) ?? new Uint8Array() }),
  };
}

export interface PimTarget {
  ctx: AdapterContext;
  layout: SyncLayout;
  nodeId: string;
}

export async function calendarSource(
  adapter: CalendarAdapter,
  calendarId: string,
  t: PimTarget,
): Promise<RemoteSource> {
  const calendar = (await adapter.calendars(t.ctx)).find((c) => c.id === calendarId);
  const calendarName = calendar?.name ?? `Calendar ${calendarId}`;
  const events = await adapter.events(t.ctx, calendarId, t.nodeId);
  if (t.layout === 'vdir') {
    return generated(
      events.map((e) => ({
        id: `ev:${e.id}`,
        name: uidFileName(e.uid ?? `${e.id}@poweron-sources`, '.ics'),
        text: eventToIcs(e, { calendarName }),
      })),
    );
  }
  const name = calendarFileName({ id: calendarId, name: calendarName });
  return generated([{ id: `cal:${calendarId}`, name, text: eventsToIcs(events, { calendarName }) }]);
}

export async function addressBookSource(adapter: ContactsAdapter, bookId: string, t: PimTarget): Promise<RemoteSource> {
  adapter.reset(t.ctx.connectionId); // the browse cache may be stale: sync reads the current state
  const book = (await adapter.books(t.ctx)).find((b) => b.id === bookId);
  const contacts = await adapter.contactsOf(t.ctx, bookId);
  const version = t.ctx.settings.vcardVersion;
  if (t.layout === 'vdir') {
    return generated(
      contacts.map((c) => ({
        id: `ct:${c.id}`,
        name: uidFileName(c.uid ?? `${c.id}@poweron-sources`, '.vcf'),
        text: contactToVcf(c, { version }),
      })),
    );
  }
  const name = addressBookFileName(book ?? ({ id: bookId, name: `Contacts ${bookId}` } as never));
  return generated([{ id: `book:${bookId}`, name, text: contactsToVcf(contacts, { version }) }]);
}
