/**
 * The local Infomaniak simulator: public API used by tests, the e2e suite, the bench and the app's
 * built-in demo. Written from docs/infomaniak-api.md, never from the client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificates, readCertificates, writeCertificates } from './core/cert';
import type { FaultSpec, LatencySpec } from './core/faults';
import type { LogEntry, Origin } from './core/log';
import { loadScenario } from './scenario/load';
import type { MailRawMode, ScenarioInput } from './scenario/schema';
import { closeAll, listen } from './server';
import { createState, scenarioEnvelopes, scenarioFaults } from './state';
import type { Mutation } from './model/mutations';
import { changesOf, feedState } from './routes/activities';
import type { FeedSettings } from './routes/activities';
import type { DownloadSettings } from './state';

export type { FaultSpec, FileFault, LatencySpec, LatencyPart } from './core/faults';
export type { LogEntry, Origin } from './core/log';
export type { ScenarioInput, Scenario } from './scenario/schema';
export type { DownloadSettings } from './state';
export type { CraftedEntry } from './model/raw-zip';
export type { Mutation, MutationContent } from './model/mutations';
export type { FeedSettings } from './routes/activities';
export { loadScenario, ScenarioError, SHIPPED_SCENARIOS } from './scenario/load';

export interface StartOptions {
  /** A shipped scenario name (demo, edge, scale), a path to a JSON file, or a scenario object. */
  scenario: string | ScenarioInput;
  /** Port of the api origin; calendar, contacts, mail, storage and notify take port+1..port+5. Random if absent. */
  port?: number;
  /** Where ca.pem, cert.pem and key.pem are written (default: a fresh temporary folder, removed by close()). */
  dataDir?: string;
  /** The simulator's "now" (relative scenario dates and response_at start from it). */
  now?: Date;
  /** When false, every request is printed to stderr. Default false. */
  quiet?: boolean;
}

export interface SimulatorToken {
  value: string;
  label?: string;
  scopes: string[];
  revoked: boolean;
  accounts?: number[];
}

export interface Simulator {
  urls: Record<Origin, string>;
  caPath: string;
  caPem: string;
  dataDir: string;
  /** Live view: revokeToken() changes what this returns. */
  readonly tokens: SimulatorToken[];
  log: { entries(): LogEntry[]; reset(): void };
  /** The archives created so far: the ids of the files each holds (`file_ids`, or a folder's children but `except_file_ids`). */
  archives(): Array<{ driveId: number; fileIds: number[] }>;
  revokeToken(value: string): void;
  restoreToken(value: string): void;
  addToken(t: { value: string; label?: string; scopes: string[]; revoked?: boolean; accounts?: number[] }): void;
  setLatency(spec: LatencySpec): void;
  /**
   * Requests per window (default: per minute) per token; null turns the overall limit off. `routes`
   * adds lower limits for single route keys. Resets the windows.
   */
  setRateLimit(perMinute: number | null, options?: { windowMs?: number; routes?: Record<string, number> }): void;
  setMailMode(mode: 'open' | 'blocked'): void;
  /** How the raw `.eml` route answers in open mode: `ok`, `forbidden` (403), `missing` (404), `redirect` (302 to the login page). */
  setMailRaw(mode: MailRawMode): void;
  /** Replaces the injected faults; null restores the scenario's. Re-arms counted faults. */
  setFaults(spec: FaultSpec | null): void;
  /** Success answers of routes given another `result` (redirect / asynchronous); null: the scenario's. */
  setEnvelopes(rules: Array<{ route: string; result: 'redirect' | 'asynchronous'; times?: number }> | null): void;
  /**
   * direct: bytes from the api origin; redirect: 302 to the storage origin. `archives` refuses
   * archive creation (403/404); `craftedArchive` serves a hand-made zip for every archive.
   */
  setDownloads(settings: Partial<DownloadSettings>): void;
  /** The six lines the app reads, as an object. */
  env(): Record<string, string>;
  /**
   * Remote changes between sync runs (written-out nodes only): add, change, rename, move, delete.
   * Returns the id of the node changed or added. Each change is also an activity (change feed).
   */
  mutate(driveId: number, mutation: Mutation): number;
  /** Turns change feeds on or off (the scenario's `settings.feeds` is the default). */
  setFeeds(feeds: Partial<FeedSettings>): void;
  /** Every `listing/continue` cursor handed out so far becomes invalid (`invalid_cursor_error`). */
  expireFeedCursors(): void;
  /**
   * Most entries one recursive listing (`depth=unlimited`) returns before it ends as if complete
   * (the scenario's `settings.listing_cap`); null: no cap.
   */
  setListingCap(cap: number | null): void;
  /** Id of a written-out node by path ("/Common documents/Projekte"), or null. */
  idOf(driveId: number, path: string): number | null;
  /** Generated nodes built so far in a drive (proves listings are lazy). */
  stats(driveId: number): { resolvedGenerated: number; fileCount: number };
  close(): Promise<void>;
}

export async function startSimulator(opts: StartOptions): Promise<Simulator> {
  const scenario = loadScenario(opts.scenario);
  const sim = createState(scenario, { now: opts.now, quiet: opts.quiet ?? false });
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'poweron-simulator-')));
  const existing = opts.dataDir ? await readCertificates(dataDir) : null;
  const bundle = existing ?? (await certificates());
  const caPath = existing ? join(dataDir, 'ca.pem') : await writeCertificates(dataDir, bundle);
  const { servers, urls } = await listen(sim, bundle, opts.port);
  sim.urls = urls;
  let closing: Promise<void> | null = null;
  // Pictures and PDFs are drawn on first use; draw them now, in the background, between requests.
  for (const d of sim.drives.values()) void d.warm(() => closing !== null);

  return {
    urls: { ...urls },
    caPath,
    caPem: bundle.caPem,
    dataDir,
    get tokens() {
      return sim.tokens.list().map((t) => ({
        value: t.value,
        ...(t.label !== undefined ? { label: t.label } : {}),
        scopes: [...t.scopes],
        revoked: t.revoked,
        ...(t.accounts !== undefined ? { accounts: [...t.accounts] } : {}),
      }));
    },
    log: { entries: () => sim.log.entries(), reset: () => sim.log.reset() },
    archives: () => [...sim.archives.values()].map((a) => ({ driveId: a.driveId, fileIds: [...a.fileIds] })),
    revokeToken: (value) => sim.tokens.setRevoked(value, true),
    restoreToken: (value) => sim.tokens.setRevoked(value, false),
    addToken: (t) => sim.tokens.add({ ...t, revoked: t.revoked ?? false }),
    setLatency: (spec) => sim.latency.set(spec),
    setRateLimit: (perMinute, options = {}) => sim.limiter.set({ perWindow: perMinute, ...options }),
    setMailMode: (mode) => {
      sim.mailMode = mode;
    },
    setMailRaw: (mode) => {
      sim.mailRaw = mode;
    },
    setFaults: (spec) => sim.faults.set(spec ?? scenarioFaults(scenario)),
    setEnvelopes: (rules) => {
      sim.envelopes = rules
        ? rules.map((r) => ({ route: r.route, result: r.result, left: r.times ?? null }))
        : scenarioEnvelopes(scenario);
    },
    setDownloads: (settings) => {
      sim.downloads = { ...sim.downloads, ...settings };
    },
    env: () => ({
      INFOMANIAK_API_URL: urls.api,
      INFOMANIAK_CALENDAR_URL: urls.calendar,
      INFOMANIAK_CONTACTS_URL: urls.contacts,
      INFOMANIAK_MAIL_URL: urls.mail,
      INFOMANIAK_NOTIFY_URL: urls.notify,
      NODE_EXTRA_CA_CERTS: caPath,
    }),
    mutate: (driveId, mutation) => changesOf(sim, driveId).apply(mutation),
    setFeeds: (feeds) => {
      const state = feedState(sim);
      state.settings = { ...state.settings, ...feeds };
    },
    expireFeedCursors: () => void feedState(sim).cursorEpoch++,
    setListingCap: (cap) => void Object.assign(sim, { listingCap: cap }),
    idOf: (driveId, path) => sim.drives.get(driveId)?.byPath(path)?.id ?? null,
    stats: (driveId) => {
      const d = sim.drives.get(driveId);
      if (!d) throw new Error(`no drive ${driveId}`);
      return { resolvedGenerated: d.resolvedGenerated, fileCount: d.fileCount() };
    },
    close: () => {
      // A data folder the simulator made itself goes with it; one the caller chose stays.
      closing ??= closeAll(servers).then(() =>
        opts.dataDir ? undefined : rm(dataDir, { recursive: true, force: true }),
      );
      return closing;
    },
  };
}
