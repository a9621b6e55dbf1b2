/**
 * Calendar: calendars → events in a window (default one year back, one year ahead, changeable per
 * calendar). Events and whole calendars download as .ics generated from the JSON.
 * Hosts: the seed's calendar.infomaniak.com first, the API host's /1/calendar/pim as fallback.
 */
import { AppFailure } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi, ServiceHost } from '../infomaniak/types';
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
  eventWhen,
} from './pim/index';
import type { PimCalendar, PimEvent } from './pim/index';
import { exportJob, worthFallback } from './shared';
import type { AdapterContext, ChildPage, SourceAdapter } from './types';

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
  const attempts: Array<[ServiceHost, string]> = [
    ['calendar', `/api/pim/${path}`],
    ['api', `/1/calendar/pim/${path}`],
  ];
  let lastError: unknown;
  for (const [host, route] of attempts) {
    try {
      return await client.get(host, route, { signal: ctx.signal, ...(searchParams ? { searchParams } : {}) });
    } catch (error) {
      lastError = error;
      if (!worthFallback(error)) throw error;
    }
  }
  throw lastError;
}

export class CalendarAdapter implements SourceAdapter {
  readonly service = 'calendar' as const;

  reset(): void {}

  async calendars(ctx: AdapterContext): Promise<PimCalendar[]> {
    return decodeCalendars((await calendarGet(ctx.client, 'calendar', ctx)).data).items;
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
    const { from, to } = this.windowFor(ctx, calendarNodeId);
    const answer = await calendarGet(ctx.client, 'event', ctx, {
      calendar_id: calendarId,
      from: apiDateTime(from),
      to: apiDateTime(to),
    });
    return decodeEvents(answer.data).items.sort((a, b) => eventRange(a).start - eventRange(b).start);
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
    if (last.type !== 'cal') throw new AppFailure('not_found', 'Events have no children.');
    const calendarName = ctx.lookup(parentId)?.name;
    const events = await this.events(ctx, last.value, parentId);
    yield {
      nodes: events.map((e) => eventNode(e, parentId, ctx.language, calendarName)),
      total: events.length,
    };
  }

  async job(ctx: AdapterContext, node: ParsedId, nodeId: string): Promise<DownloadJob> {
    const calendarId = segment(node, 'cal');
    const eventId = segment(node, 'ev');
    if (!calendarId) throw new AppFailure('not_found', 'This item cannot be downloaded.');
    const calendarNodeId = eventId ? nodeId.slice(0, nodeId.lastIndexOf('/')) : nodeId;
    const calendarName =
      ctx.lookup(calendarNodeId)?.name ?? (await this.calendars(ctx)).find((c) => c.id === calendarId)?.name;
    if (eventId) {
      const event = await this.#event(ctx, eventId);
      return exportJob(eventFileName(event), async () => eventToIcs(event, calendarName ? { calendarName } : {}));
    }
    const name = calendarFileName({ id: calendarId, name: calendarName ?? `Calendar ${calendarId}` });
    return exportJob(name, async () =>
      eventsToIcs(await this.events(ctx, calendarId, calendarNodeId), calendarName ? { calendarName } : {}),
    );
  }

  async #event(ctx: AdapterContext, eventId: string): Promise<PimEvent> {
    const answer = await calendarGet(ctx.client, `event/${encodeURIComponent(eventId)}`, ctx);
    const event = decodeEvent(answer.data);
    if (!event)
      throw new AppFailure('api_error', 'Infomaniak returned this event in a form the app does not understand.');
    return event;
  }
}

function eventNode(
  event: PimEvent,
  parentId: string,
  language: 'en' | 'de',
  calendarName: string | undefined,
): SourceNode {
  const range = eventRange(event);
  const node: SourceNode = {
    id: childId(parentId, 'ev', event.id),
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
