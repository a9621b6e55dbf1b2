/**
 * The one IPC contract. Every channel main answers and every event main pushes is declared here,
 * once, as a value: its name (`domain:verb`), the zod schema of its argument and the type of its
 * result. Preload, the browser host's WebSocket transport and the renderer all derive from it.
 *
 * To add a channel: add an entry below and its name to names.ts, then a handler in the `handlers`
 * object of `createApp()` in main/app.ts (the type checker insists on exactly one), then call it
 * from a renderer store action as `api.<domainVerb>(arg)`. Bound every string, array and record
 * (`contract.test.ts` walks every argument schema and fails on an unbounded one).
 */
import { z } from 'zod';
import type { ChannelName as ListedChannel, EventName as ListedEvent } from './names';
import type { Connection, ValidationProgress, VaultStatus } from '../model/connection';
import { externalPageSchema } from '../model/external-pages';
import type { AppCommand } from '../model/commands';
import { BANDWIDTH_MBPS } from '../model/settings';
import type { AppInfo, Notice, Settings } from '../model/settings';
import type { SourceNode, SourcePage } from '../model/sources';
import { SEARCH_QUERY_MAX } from '../model/search';
import { PREVIEW_SIZES } from '../model/file-extras';
import type { FileVersionInfo, PreviewImage } from '../model/file-extras';
import type { SearchResult } from '../model/search';
import type { Transfer, TransferChanges } from '../model/transfers';
import { existingAnswerSchema } from '../model/existing';
import type { ExistingQuestion } from '../model/existing';
import { dragLinkRequestSchema, dragReleaseSchema, dragStartSchema } from '../model/drag';
import type { DragLink, DragOutcome, DragState } from '../model/drag';
import { TOKEN_CHARS, TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH } from '../model/token';
import { MAX_PAIRS, syncDecisionSchema, syncLayoutSchema } from '../model/sync';
import type { SyncPairStatus, SyncPlanSummary } from '../model/sync';

/** A phantom marker: carries a result type, no runtime value. */
function returns<T>(): T {
  return undefined as T;
}

function channel<I extends z.ZodType, O>(input: I, output: O) {
  return { input, output };
}

const id = z.string().min(1).max(512);
/** A Personal Access Token as pasted: trimmed, printable ASCII, sane length. */
const token = z
  .string()
  .trim()
  .min(TOKEN_MIN_LENGTH, 'The token is too short.')
  .max(TOKEN_MAX_LENGTH, 'The token is too long.')
  .regex(TOKEN_CHARS, 'The token contains spaces or characters a token never has.');

/** Most calendars one settings file keeps a window for (each key is a calendar node id). */
export const MAX_CALENDAR_WINDOWS = 1000;

/** A record with at most `maxKeys` keys; `maxKeys` is also kept as metadata so tests can prove every collection is bounded. */
export function boundedRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, maxKeys: number) {
  return z
    .record(key, value)
    .refine((r) => Object.keys(r).length <= maxKeys, `At most ${maxKeys} entries are allowed.`)
    .meta({ maxKeys });
}

export const settingsPatch = z
  .object({
    language: z.enum(['system', 'en', 'de']),
    downloadsDir: z.string().min(1).max(4096).nullable(),
    concurrency: z.number().int().min(1).max(8),
    vcardVersion: z.enum(['3.0', '4.0']),
    mailFolderFormat: z.enum(['mbox', 'eml']),
    folderMode: z.enum(['files', 'zip']),
    calendarWindows: boundedRecord(
      z.string().min(1).max(512),
      z.object({ daysBack: z.number().int().min(0).max(3650), daysAhead: z.number().int().min(0).max(3650) }),
      MAX_CALENDAR_WINDOWS,
    ),
    syncKeepInTray: z.boolean(),
    syncNotify: z.boolean(),
    syncScheduled: z.boolean(),
    syncEveryMinutes: z.number().int().min(5).max(1440),
    syncMaxDeleteFiles: z.number().int().min(1).max(1_000_000),
    syncMaxDeletePercent: z.number().int().min(1).max(100),
    bandwidthLimit: z.boolean(),
    bandwidthMBps: z
      .number()
      .min(BANDWIDTH_MBPS.min)
      .max(BANDWIDTH_MBPS.max)
      .refine((n) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9, 'at most one decimal'),
  })
  .partial()
  .strict();

export const channels = {
  'app:info': channel(z.undefined(), returns<AppInfo>()),
  /** Opens one of a few known Infomaniak pages in the user's browser. The renderer names the page, never a URL. */
  'app:openPage': channel(z.object({ page: externalPageSchema }).strict(), returns<void>()),
  /** Electron: puts text on the clipboard ("Copy path"); the browser host answers `unavailable` (the page copies itself). */
  'app:copyText': channel(z.object({ text: z.string().min(1).max(8192) }).strict(), returns<void>()),

  'settings:get': channel(z.undefined(), returns<Settings>()),
  /** The download folder is not settable from the renderer: only main's folder dialog (or --downloads-dir) sets it. */
  'settings:set': channel(settingsPatch.omit({ downloadsDir: true }), returns<Settings>()),
  'settings:chooseDownloadsDir': channel(z.undefined(), returns<string | null>()),

  'vault:status': channel(z.undefined(), returns<VaultStatus>()),

  'connections:list': channel(z.undefined(), returns<Connection[]>()),
  'connections:add': channel(
    z.object({ token, attemptId: id, allowWeakStorage: z.boolean().optional() }).strict(),
    returns<Connection>(),
  ),
  'connections:replaceToken': channel(
    z.object({ id, token, attemptId: id, allowWeakStorage: z.boolean().optional() }).strict(),
    returns<Connection>(),
  ),
  'connections:remove': channel(z.object({ id }).strict(), returns<void>()),
  /** The user agrees that this connection's token may go to the app's current Infomaniak addresses. */
  'connections:confirmEndpoints': channel(z.object({ id }).strict(), returns<Connection>()),
  'connections:startDemo': channel(z.undefined(), returns<Connection>()),

  'sources:roots': channel(z.undefined(), returns<SourceNode[]>()),
  /** Starts a listing; children arrive as `sources:page` events carrying the returned listingId. */
  'sources:list': channel(
    z.object({ nodeId: id, refresh: z.boolean().optional() }).strict(),
    returns<{ listingId: string }>(),
  ),
  'sources:cancel': channel(z.object({ listingId: id }).strict(), returns<void>()),
  'sources:refresh': channel(z.object({ connectionId: id.optional() }).strict(), returns<void>()),
  /**
   * "Open in the Infomaniak web app": main builds the node's URL (allowlisted origins only). Electron
   * opens it in the browser (`opened`); the browser host gives it back for the page to open in a tab.
   */
  'sources:openWebApp': channel(z.object({ nodeId: id }).strict(), returns<{ url: string; opened: boolean }>()),
  /** Searches a kDrive drive's or folder's subtree on the server by name (recursive listing, paced); at most SEARCH_MAX_HITS hits. */
  'sources:search': channel(
    z.object({ nodeId: id, query: z.string().trim().min(1).max(SEARCH_QUERY_MAX), searchId: id }).strict(),
    returns<SearchResult>(),
  ),
  'sources:cancelSearch': channel(z.object({ searchId: id }).strict(), returns<void>()),
  /** A kDrive file's earlier versions (newest first); each `nodeId` can be saved with `sources:downloadVersion`. */
  'sources:versions': channel(z.object({ nodeId: id }).strict(), returns<FileVersionInfo[]>()),
  /** Saves a version beside the file's last download (else in the downloads folder), as a transfer. */
  'sources:downloadVersion': channel(z.object({ nodeId: id }).strict(), returns<{ transferIds: string[] }>()),
  /** A picture of an image, PDF or video file (null: it has none), for a `data:` URL. */
  'sources:preview': channel(
    z.object({ nodeId: id, size: z.enum(PREVIEW_SIZES) }).strict(),
    returns<PreviewImage | null>(),
  ),

  'transfers:download': channel(
    z
      .object({
        nodeIds: z.array(id).min(1).max(10_000),
        /**
         * Ask for a folder in the Electron shell ("Save as…"). The renderer never names a folder
         * itself: downloads go to the configured folder or to one the user picked in main's dialog.
         */
        chooseTarget: z.boolean().optional(),
        folderMode: z.enum(['files', 'zip']).optional(),
      })
      .strict(),
    returns<{ transferIds: string[] }>(),
  ),
  'transfers:list': channel(z.undefined(), returns<Transfer[]>()),
  'transfers:cancel': channel(z.object({ id }).strict(), returns<void>()),
  'transfers:retry': channel(z.object({ id }).strict(), returns<void>()),
  'transfers:open': channel(z.object({ id }).strict(), returns<void>()),
  'transfers:reveal': channel(z.object({ id }).strict(), returns<void>()),
  'transfers:clearFinished': channel(z.undefined(), returns<void>()),
  /** The open "already exists" questions (one per batch), e.g. after a reload; changes come as `transfers:existing`. */
  'transfers:listExisting': channel(z.undefined(), returns<ExistingQuestion[]>()),
  /** Skip, Keep both or Replace; `applyToAll` holds for the rest of the batch. `answered` false: no longer open. */
  'transfers:resolveExisting': channel(existingAnswerSchema, returns<{ answered: boolean }>()),

  /**
   * Electron: a drag began (the pointer passed the drag threshold): the OS drag of these nodes, at
   * once or once staged while the button is held. Nothing is staged before a drag begins.
   */
  'drag:start': channel(dragStartSchema, returns<DragOutcome>()),
  /** The button went up: a `drag:start` still waiting for staging does not start. */
  'drag:release': channel(dragReleaseSchema, returns<void>()),
  /** Browser host: `DownloadURL` drag data with a one-time link for one file. */
  'drag:link': channel(dragLinkRequestSchema, returns<DragLink>()),
  /** Electron only: start an OS drag of downloaded files. Answered with `unavailable` by the browser host. */

  'sync:list': channel(z.undefined(), returns<SyncPairStatus[]>()),
  /** "Keep in sync…": a pair for a drive, folder, calendar or address book; the folder comes from main (default or dialog). */
  'sync:create': channel(
    z
      .object({
        nodeId: id,
        layout: syncLayoutSchema.optional(),
        ignoreLocalDeletes: z.boolean().optional(),
        chooseFolder: z.boolean().optional(),
      })
      .strict(),
    returns<SyncPairStatus>(),
  ),
  /** Dry run: the plan of the next run, nothing changed on disk. */
  'sync:preview': channel(z.object({ id }).strict(), returns<SyncPlanSummary>()),
  /** Starts runs (all pairs not paused, or these); progress arrives as `sync:changed`. */
  'sync:run': channel(
    z.object({ ids: z.array(id).min(1).max(MAX_PAIRS).optional() }).strict(),
    returns<{ started: string[] }>(),
  ),
  'sync:pause': channel(z.object({ id, paused: z.boolean() }).strict(), returns<void>()),
  /** Removes the pair; the local files stay. */
  'sync:remove': channel(z.object({ id }).strict(), returns<void>()),
  'sync:openFolder': channel(z.object({ id }).strict(), returns<void>()),
  /** The answer to a held run (deletions or a re-download it asks about): confirm, or keep the files and pause. */
  'sync:decide': channel(z.object({ id, choice: syncDecisionSchema }).strict(), returns<void>()),
} as const satisfies Record<ListedChannel, { input: z.ZodType; output: unknown }>;

export const events = {
  'app:notice': returns<Notice>(),
  /** A command of the Electron application menu (Find, Refresh, Settings…), run by the renderer as its own shortcuts are. */
  'app:command': returns<{ command: AppCommand }>(),
  'settings:changed': returns<Settings>(),
  'connections:changed': returns<Connection[]>(),
  'connections:progress': returns<ValidationProgress>(),
  'sources:page': returns<SourcePage>(),
  'sources:rootsChanged': returns<SourceNode[]>(),
  /** Batches of per-transfer changes (≤ 10 a second per transfer); `transfers:list` gives the whole list once. */
  'transfers:changed': returns<TransferChanges>(),
  /** The open "already exists" questions changed (one per batch that waits, oldest first; at most 50). */
  'transfers:existing': returns<ExistingQuestion[]>(),
  /** Changed drag states (preparing with progress, ready, saveTo, failed, idle), batched. */
  'drag:states': returns<DragState[]>(),
  'sync:changed': returns<SyncPairStatus[]>(),
} as const satisfies Record<ListedEvent, unknown>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelArg<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = Channels[C]['output'];

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E];

/** Compile-time proof that names.ts lists exactly the channels and events declared here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const namesMatchContract: [Same<ChannelName, ListedChannel>, Same<EventName, ListedEvent>] = [true, true];

export { CHANNEL_NAMES, EVENT_NAMES } from './names';
