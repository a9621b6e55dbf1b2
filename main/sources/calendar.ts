/**
 * Calendar: calendars → events in a window (default one year back, one year ahead, changeable per
 * calendar). Events and whole calendars download as .ics generated from the JSON.
 * Hosts: the seed's calendar.infomaniak.com first, the API host's /1/calendar/pim as fallback.
 */
import { failWith } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi, ApiHost } from '../infomaniak/types';
import type { DownloadJob } from '../transfers/types';
import { childId, segment } from './ids';
import type { ParsedId } from './ids';
import {
  calendarFileName,
  decodeCalendars,
  decodeEvent,
  decodeEvents,
  eventFileName,
  eventRange,
  eventsToIcs,
  eventToIcs,
  SYNC_DTSTAMP,
  eventWhen,
} from './pim/index';
import type { PimCalendar, PimEvent } from './pim/index';
import type { Decoded } from './pim/decoders/shapes';
import { expectList } from './pim/schemas';
import { classify } from '../errors/classify';
import { generatedSubtree, uidFileName } from './generated-subtree';
import { exportJob } from './jobs';
import type { AdapterContext, ChildPage, SourceAdapter, Subtree, SubtreeOptions } from './types';

export const DEFAULT_WINDOW = { daysBack: 365, daysAhead: 365 };
const DAY = 86_400_000;

/** `YYYY-MM-DD HH:MM:SS` in UTC, the form the event route takes. */
export function apiDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Tries the seed's calendar host, then the API host's route. */
async function calendarGet(
  client: InfomaniakApi,
  path: string,
  ctx: AdapterContext,
  searchParams?: Record<string, string | number>,
) {
  const attempts: Array<[ApiHost, string]> = [
    ['calendar', `/api/pim/${path}`],
    ['api', `/1/calendar/pim/${path}`],
  ];
  let lastError: unknown;
  for (const [host, route] of attempts) {
    try {
      return await client.get(host, route, { signal: ctx.signal, ...(searchParams ? { searchParams } : {}) });
    } catch (error) {
      lastError = error;
      // Another host may answer where this one did not (errors/classify.ts: `fallback`).
      if (!classify(error).fallback) throw error;
    }
  }
  throw lastError;
}

export class CalendarAdapter implements SourceAdapter {
  readonly service = 'calendar' as const;

  reset(): void {}

  /** The calendars; `strict` (sync): an answer without a list is an error, never "no calendars". */
  async calendars(ctx: AdapterContext, strict = false): Promise<PimCalendar[]> {
    const decoded = decodeCalendars((await calendarGet(ctx.client, 'calendar', ctx)).data);
    return (strict ? expectList(decoded, 'the calendars') : decoded).items;
  }

  windowFor(
    ctx: AdapterContext,
    calendarNodeId: string,
  ): { from: number; to: number; daysBack: number; daysAhead: number } {
    const w = ctx.settings.calendarWindows[calendarNodeId] ?? DEFAULT_WINDOW;
    const now = ctx.now();
    return { from: now - w.daysBack * DAY, to: now + w.daysAhead * DAY, ...w };
  }

  async events(ctx: AdapterContext, calendarId: string, calendarNodeId: string): Promise<PimEvent[]> {
    return (await this.eventsOf(ctx, calendarId, calendarNodeId)).events;
  }

  /** The window's events, and the records skipped because they did not decode (bad times…). */
  async eventsOf(
    ctx: AdapterContext,
    calendarId: string,
    calendarNodeId: string,
  ): Promise<{ events: PimEvent[]; skipped: number; skippedNames: string[]; decoded: Decoded<PimEvent> }> {
    const { from, to } = this.windowFor(ctx, calendarNodeId);
    const answer = await calendarGet(ctx.client, 'event', ctx, {
      calendar_id: calendarId,
      from: apiDateTime(from),
      to: apiDateTime(to),
    });
    const decoded = decodeEvents(answer.data);
    const events = decoded.items.sort((a, b) => eventRange(a).start - eventRange(b).start);
    return { events, skipped: decoded.skipped, skippedNames: (decoded.rejected ?? []).map(recordName), decoded };
  }

  async *list(ctx: AdapterContext, parent: ParsedId, parentId: string): AsyncIterable<ChildPage> {
    const last = parent.path.at(-1);
    if (!last) {
      const calendars = await this.calendars(ctx);
      yield {
        nodes: calendars.map((c) => {
          const id = childId(parentId, 'cal', c.id);
          const w = this.windowFor(ctx, id);
          const node: SourceNode = {
            id,
            parentId,
            kind: 'calendar',
            service: 'calendar',
            name: c.name,
            expandable: true,
            downloadable: true,
            details: { id: c.id, window: `${w.daysBack}/${w.daysAhead}` },
          };
          return node;
        }),
        total: calendars.length,
      };
      return;
    }
    if (last.type !== 'cal') throw failWith('not_found', 'no_children', 'Events have no children.');
    const calendarName = ctx.lookup(parentId)?.name;
    const { events, skipped, skippedNames } = await this.eventsOf(ctx, last.value, parentId);
    // A recurring event may come back once per occurrence with the same id: key those by id + start.
    const seen = new Map<string, number>();
    for (const e of events) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    const nodes = events.map((e) => eventNode(e, parentId, ctx.language, calendarName, (seen.get(e.id) ?? 0) > 1));
    if (skipped > 0) nodes.push(skippedNode(parentId, skipped, skippedNames));
    yield { nodes, total: nodes.length };
  }

  async job(ctx: AdapterContext, node: ParsedId, nodeId: string): Promise<DownloadJob> {
    const calendarId = segment(node, 'cal');
    const occurrence = /^-?\d+_(.+)$/s.exec(segment(node, 'occ') ?? '');
    const eventId = segment(node, 'ev') ?? occurrence?.[1] ?? null;
    if (!calendarId) throw failWith('not_found', 'not_downloadable', 'This item cannot be downloaded.');
    const calendarNodeId = eventId ? nodeId.slice(0, nodeId.lastIndexOf('/')) : nodeId;
    const calendarName =
      ctx.lookup(calendarNodeId)?.name ?? (await this.calendars(ctx)).find((c) => c.id === calendarId)?.name;
    if (eventId) {
      const event = await this.#event(ctx, eventId);
      return exportJob(eventFileName(event), async () => eventToIcs(event, calendarName ? { calendarName } : {}));
    }
    const name = calendarFileName({ id: calendarId, name: calendarName ?? `Calendar ${calendarId}` });
    return exportJob(name, async () =>
      eventsToIcs(
        onePerSeries(await this.events(ctx, calendarId, calendarNodeId)),
        calendarName ? { calendarName } : {},
      ),
    );
  }

  /**
   * Sync: the calendar as one `.ics` (as its download: a series once) or a vdir (one file per event,
   * named by its UID). DTSTAMP is fixed (`SYNC_DTSTAMP`), not the export time: an unchanged calendar
   * gives the same bytes at every run, so nothing is written again.
   */
  async subtree(ctx: AdapterContext, node: ParsedId, nodeId: string, options: SubtreeOptions): Promise<Subtree> {
    const calendarId = segment(node, 'cal');
    if (!calendarId || node.path.length !== 1)
      throw failWith('not_found', 'not_syncable', 'Only a calendar can be synced.');
    return generatedSubtree(async () => {
      // Parse loudly: a listing of another shape fails the run; an event that does not decode is unknown.
      const calendar = (await this.calendars(ctx, true)).find((c) => c.id === calendarId);
      const calendarName = calendar?.name ?? `Calendar ${calendarId}`;
      const { decoded } = await this.eventsOf(ctx, calendarId, nodeId);
      const events = onePerSeries(expectList(decoded, 'the events of a calendar').items);
      const unread = decoded.unread;
      if (options.layout === 'vdir') {
        const files = events.map((e) => ({
          id: `ev:${e.id}`,
          name: uidFileName(e.uid ?? `${e.id}@poweron-sources`, '.ics'),
          text: eventToIcs(e, { calendarName, now: SYNC_DTSTAMP }),
        }));
        return { files, unread: unread && { ids: new Set(unread.ids.map((id) => `ev:${id}`)), all: unread.all } };
      }
      const name = calendarFileName({ id: calendarId, name: calendarName });
      const id = `cal:${calendarId}`;
      const files = [{ id, name, text: eventsToIcs(events, { calendarName, now: SYNC_DTSTAMP }) }];
      return { files, unread: unread && { ids: new Set([id]), all: false } };
    });
  }

  async #event(ctx: AdapterContext, eventId: string): Promise<PimEvent> {
    const answer = await calendarGet(ctx.client, `event/${encodeURIComponent(eventId)}`, ctx);
    const event = decodeEvent(answer.data);
    if (!event)
      throw failWith(
        'api_error',
        'unknown_shape',
        'Infomaniak returned this event in a form the app does not understand.',
      );
    return event;
  }
}

/** A series listed once per occurrence (same id, with its rule) is one VEVENT: its first occurrence. */
function onePerSeries(events: PimEvent[]): PimEvent[] {
  const series = new Set<string>();
  return events.filter((e) => {
    if (!e.rrule) return true;
    if (series.has(e.id)) return false;
    series.add(e.id);
    return true;
  });
}

/** A record's title or id, for the note that lists skipped records. */
function recordName(raw: unknown): string {
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    if (typeof r.title === 'string' && r.title.trim()) return `"${r.title.trim().slice(0, 80)}"`;
    if (typeof r.id === 'string' || typeof r.id === 'number') return `id ${String(r.id).slice(0, 40)}`;
  }
  return 'a record without id';
}

/** A note among the events: what Infomaniak sent that could not be read, and was left out. */
function skippedNode(parentId: string, count: number, names: string[]): SourceNode {
  const more = count > names.length ? ` and ${count - names.length} more` : '';
  return {
    id: childId(parentId, 'skipped', 'events'),
    parentId,
    kind: 'error',
    service: 'calendar',
    name: `${count} ${count === 1 ? 'event' : 'events'} skipped`,
    expandable: false,
    downloadable: false,
    state: {
      kind: 'error',
      reason: `Infomaniak sent ${count === 1 ? 'an event' : 'events'} the app cannot read (e.g. a date out of range); left out of the list and of exports: ${names.join(', ')}${more}.`,
      retryable: false,
    },
  };
}

function eventNode(
  event: PimEvent,
  parentId: string,
  language: 'en' | 'de',
  calendarName: string | undefined,
  repeated: boolean,
): SourceNode {
  const range = eventRange(event);
  const node: SourceNode = {
    // `occ:<start ms>_<id>`: the start first, so the id may hold any character.
    id: repeated ? childId(parentId, 'occ', `${range.start}_${event.id}`) : childId(parentId, 'ev', event.id),
    parentId,
    kind: 'event',
    service: 'calendar',
    name: event.title || '—',
    subtitle: eventWhen(event, language),
    expandable: false,
    downloadable: true,
    details: {
      when: eventWhen(event, language),
      ...(event.location ? { location: event.location } : {}),
      ...(calendarName ? { calendar: calendarName } : {}),
      ...(event.rrule ? { repeats: event.rrule } : {}),
      id: event.id,
    },
  };
  if (Number.isFinite(range.start)) node.createdAt = range.start;
  return node;
}
