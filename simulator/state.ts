/** Everything one running simulator knows: the scenario's models and the runtime knobs. */
import { randomBytes } from 'node:crypto';
import { TokenStore } from './core/auth';
import { Faults, Latency } from './core/faults';
import type { FaultSpec, LatencySpec } from './core/faults';
import { RequestLog } from './core/log';
import type { Origin } from './core/log';
import { RateLimiter } from './core/ratelimit';
import type { RateLimitSpec } from './core/ratelimit';
import { createClock, parseTimeSpec, unixSeconds } from './core/time';
import type { Clock } from './core/time';
import { CalendarModel } from './model/calendar';
import type { UserInfo } from './model/calendar';
import { ContactsModel } from './model/contacts';
import { DriveModel } from './model/drive';
import { MailModel } from './model/mail';
import type { CraftedEntry } from './model/raw-zip';
import type { MailRawMode, Scenario } from './scenario/schema';

export type Urls = Record<Origin, string>;

export interface DownloadSettings {
  mode: 'direct' | 'redirect';
  contentLength: boolean;
  /**
   * Archives (a test control): `on`; `forbidden` (403 access_denied) or `missing` (404, as a route
   * the server does not have) when one is created.
   */
  archives: 'on' | 'forbidden' | 'missing';
  /** A crafted zip served for every archive instead of the real one (hostile-archive tests); null: off. */
  craftedArchive: CraftedEntry[] | null;
  /**
   * The real archive's entries (names as served, contents read whole) changed by a test before they
   * are zipped by hand (`model/raw-zip.ts`): extra entries, a bomb, a grown, deflated or broken
   * entry, thousands of entries. Null: off. Small archives only (built in memory).
   */
  archiveTamper: ((entries: CraftedEntry[]) => CraftedEntry[]) | null;
  /** Files one archive may hold ([seen] 20,000); a test lowers it to see batches split. */
  archiveMaxFiles: number;
}

export interface AccountModel {
  id: number;
  json: Record<string, unknown>;
  driveListingError?: { status: number; code: string; description: string } | undefined;
}

export interface Archive {
  driveId: number;
  fileIds: number[];
  createdAt: number;
}

export interface SimState {
  scenario: Scenario;
  clock: Clock;
  urls: Urls;
  tokens: TokenStore;
  limiter: RateLimiter;
  latency: Latency;
  faults: Faults;
  log: RequestLog;
  downloads: DownloadSettings;
  mailMode: 'open' | 'blocked';
  /** How `…/message/{uid}/download` (the raw .eml) answers in open mode (unknown for a personal token). */
  mailRaw: MailRawMode;
  accounts: AccountModel[];
  drives: Map<number, DriveModel>;
  calendar: CalendarModel;
  contacts: ContactsModel;
  mail: MailModel;
  archives: Map<string, Archive>;
  /** Content hashes by "drive:id:modifiedAt". */
  hashes: Map<string, Promise<string>>;
  /** Success answers given another `result` (see settings.envelopes); `left` null: always. */
  envelopes: Array<{ route: string; result: 'redirect' | 'asynchronous'; left: number | null }>;
  /**
   * Most entries one recursive listing (`depth=unlimited`, one cursor chain) returns; then it ends
   * as if complete [guess: a third-party client measured a 10,000-element cap]. Null: no cap.
   */
  listingCap: number | null;
  /** Key of the storage origin's signed URLs. */
  secret: Buffer;
  quiet: boolean;
}

export function scenarioLatency(s: Scenario): LatencySpec {
  const l = s.settings.latency;
  return {
    fixedMs: l.fixed_ms,
    jitterMs: l.jitter_ms,
    routes: Object.fromEntries(
      Object.entries(l.routes).map(([k, v]) => [k, { fixedMs: v.fixed_ms, jitterMs: v.jitter_ms }]),
    ),
  };
}

export function scenarioRateLimit(s: Scenario): RateLimitSpec {
  return {
    perWindow: s.settings.rate_limit_per_minute,
    windowMs: s.settings.rate_limit_window_ms,
    routes: { ...s.settings.rate_limit_routes },
  };
}

export function scenarioEnvelopes(s: Scenario): SimState['envelopes'] {
  return s.settings.envelopes.map((e) => ({ route: e.route, result: e.result, left: e.times ?? null }));
}

export function scenarioFaults(s: Scenario): FaultSpec {
  const f = s.settings.faults;
  return {
    errorRate: f.error_rate,
    ...(f.error_routes ? { errorRoutes: f.error_routes } : {}),
    hangRoutes: f.hang_routes,
    seed: f.seed,
  };
}

export function createState(scenario: Scenario, opts: { now?: Date | undefined; quiet: boolean }): SimState {
  const clock = createClock(opts.now);
  const anchorMs = scenario.epoch !== undefined ? parseTimeSpec(scenario.epoch, clock.base) : clock.base;
  const user: UserInfo | undefined = scenario.user;
  const createdBy = user?.id ?? 1;
  const drives = new Map<number, DriveModel>();
  for (const d of scenario.drives) drives.set(d.id, new DriveModel(d, anchorMs, createdBy));
  const accounts = scenario.accounts.map((a) => ({
    id: a.id,
    driveListingError: a.drive_listing_error,
    json: {
      id: a.id,
      name: a.name,
      type: a.type,
      legal_entity_type: a.legal_entity_type,
      created_at: unixSeconds(
        a.created !== undefined ? parseTimeSpec(a.created, anchorMs) : anchorMs - 3 * 365 * 86_400_000,
      ),
    },
  }));
  const tz = scenario.settings.default_timezone;
  return {
    scenario,
    clock,
    urls: { api: '', calendar: '', contacts: '', mail: '', storage: '', notify: '' },
    listingCap: scenario.settings.listing_cap,
    tokens: new TokenStore(scenario.tokens),
    limiter: new RateLimiter(scenarioRateLimit(scenario)),
    latency: new Latency(scenarioLatency(scenario)),
    faults: new Faults(scenarioFaults(scenario)),
    log: new RequestLog(),
    downloads: {
      mode: scenario.settings.downloads.mode,
      contentLength: scenario.settings.downloads.content_length,
      archives: 'on',
      craftedArchive: null,
      archiveTamper: null,
      archiveMaxFiles: 20_000,
    },
    mailMode: scenario.mail.mode,
    mailRaw: scenario.mail.raw_download,
    accounts,
    drives,
    calendar: new CalendarModel(scenario.calendars, user, tz, clock.base),
    contacts: new ContactsModel(
      scenario.addressbooks,
      scenario.settings.contact_email_shape,
      scenario.accounts[0]?.name ?? '',
      scenario.correspondents,
    ),
    mail: new MailModel(scenario.mail.mailboxes, clock.base, tz),
    archives: new Map(),
    hashes: new Map(),
    envelopes: scenarioEnvelopes(scenario),
    secret: randomBytes(32),
    quiet: opts.quiet,
  };
}
