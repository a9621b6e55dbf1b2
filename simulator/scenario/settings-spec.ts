/** A scenario's settings: latency, paging, rate limits and the shape variants the simulator serves. */
import { z } from 'zod';
import { int, posInt, TimeZone } from './spec-values';

const LatencyPart = z.strictObject({ fixed_ms: int().min(0).default(0), jitter_ms: int().min(0).default(0) });

export const SettingsSpec = z.strictObject({
  /** Requests per minute per token; null = off. (The real API allows about 60.) */
  rate_limit_per_minute: posInt().nullable().default(null),
  /** Length of the rate limit's window in ms (default one minute; tests shorten it). */
  rate_limit_window_ms: posInt().default(60_000),
  /** Lower limits per route key, per token and window, on top of the overall one. */
  rate_limit_routes: z.record(z.string(), posInt()).default({}),
  latency: z
    .strictObject({
      fixed_ms: int().min(0).default(0),
      jitter_ms: int().min(0).default(0),
      /** Per route key, e.g. "GET /2/drive" or "GET /3/drive/{drive}/files/{file}/files". */
      routes: z.record(z.string(), LatencyPart).default({}),
    })
    .default({ fixed_ms: 0, jitter_ms: 0, routes: {} }),
  downloads: z
    .strictObject({
      /** direct: the bytes; redirect: a 302 to the storage origin. */
      mode: z.enum(['direct', 'redirect']).default('direct'),
      /** Send Content-Length on full downloads (the real API may omit it). */
      content_length: z.boolean().default(true),
    })
    .default({ mode: 'direct', content_length: true }),
  faults: z
    .strictObject({
      error_rate: z.number().min(0).max(1).default(0),
      error_routes: z.array(z.string()).optional(),
      hang_routes: z.array(z.string()).default([]),
      seed: int().default(1),
    })
    .default({ error_rate: 0, hang_routes: [], seed: 1 }),
  /**
   * Success answers of a route given another `result` [seen: `redirect` with `uri`, `asynchronous`]:
   * `redirect` answers `{result: "redirect", uri}` pointing at the same request; `asynchronous`
   * keeps the data. `times` (default: always) counts the answers changed.
   */
  envelopes: z
    .array(
      z.strictObject({
        route: z.string(),
        result: z.enum(['redirect', 'asynchronous']),
        times: posInt().optional(),
      }),
    )
    .default([]),
  /** contact.emails as plain strings (android-kMail's model) or as {address,type} objects. */
  contact_email_shape: z.enum(['strings', 'objects']).default('strings'),
  default_timezone: TimeZone.default('Europe/Zurich'),
  /**
   * `GET /3/drive/files/shared_with_me` (drive-independent) answers (`on`), or is a route the
   * server does not have (`missing`: 404), so clients fall back to the per-drive route.
   */
  shares_route: z.enum(['on', 'missing']).default('on'),
  /**
   * Change feeds (routes/activities.ts, routes/listing-feed.ts, routes/drive-feed.ts,
   * routes/notify.ts): whether they answer this scenario's tokens. `continue: false` refuses the
   * drive-wide `listing/continue` (403) while its start route still hands out cursors;
   * `longpoll: false` makes the notify origin refuse the token (401).
   */
  feeds: z
    .strictObject({
      activities: z.boolean().default(true),
      listing: z.boolean().default(true),
      continue: z.boolean().default(true),
      longpoll: z.boolean().default(true),
    })
    .default({ activities: true, listing: true, continue: true, longpoll: true }),
  /** Most entries one recursive listing returns before it ends as if complete; null: no cap. */
  listing_cap: posInt().nullable().default(null),
});
