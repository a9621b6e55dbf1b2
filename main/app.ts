/**
 * The composition root for the services. Both shells call createApp() with their Platform: the
 * Electron shell (main/index.ts) and the browser host (main/host/cli.ts). Every service is built
 * here, explicitly, with its dependencies passed in; nothing is constructed at import time. One
 * small builder per domain below; the handlers per channel, grouped by domain, are in app-handlers.ts.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { ChannelName } from '../shared/ipc/contract';
import type { Notice, Settings } from '../shared/model/settings';
import {
  appHandlers,
  connectionHandlers,
  dragHandlers,
  existingHandlers,
  fileExtrasHandlers,
  sourcesHandlers,
  syncHandlers,
  transferHandlers,
} from './app-handlers';
import { createDemoProvider } from './demo/index';
import { StagingCache } from './drag/cache';
import { DragOut } from './drag/service';
import { createInfomaniakClient } from './infomaniak/client';
import { DirectWorker } from './infomaniak/direct-wire';
import { readExtraCa, resolveEndpoints } from './infomaniak/endpoints';
import { createEventBus, createRouter } from './ipc/router';
import { Secrets } from './last-resort';
import type { CallContext, EventBus, Handlers, Router } from './ipc/router';
import type { Platform } from './platform';
import { Connections } from './connections/connections';
import { SettingsStore } from './settings/settings';
import { guardShell } from './open-guard';
import { openStore } from './settings/store';
import type { KeyValueStore } from './settings/store';
import { keyWording, Vault } from './connections/vault';
import { CalendarAdapter } from './sources/calendar';
import { ContactsAdapter } from './sources/contacts';
import { KdriveAdapter } from './sources/kdrive';
import { MailAdapter } from './sources/mail';
import { parseId } from './sources/ids';
import { Sources } from './sources/service';
import { FileExtras } from './sources/file-extras';
import { PreviewCache } from './sources/preview-cache';
import { QuickSync } from './sync/service';
import { resolveTarget, targetOf } from './localfs/paths';
import { appBandwidth, followSettings } from './localfs/throttle';
import { trashInside } from './localfs/trash';
import { TransferManager } from './transfers/manager';
import { ExistingFiles } from './transfers/existing';
import type { DownloadJob } from './transfers/types';

export interface App {
  router: Router;
  bus: EventBus;
  handlers: Handlers;
  connections: Connections;
  sources: Sources;
  transfers: TransferManager;
  drag: DragOut;
  sync: QuickSync;
  /** Current settings (the shell reads the tray's settings and language from them). */
  settings: () => Settings;
  /** The UI language now (Settings, then --lang, then the system). */
  language: () => 'en' | 'de';
  /** What the shells' last-resort policy (last-resort.ts) scrubs from its log: the live tokens, and what a shell adds. */
  secrets: Secrets;
  dispose(): Promise<void>;
}

export interface AppOptions {
  isTrustedSender(ctx: CallContext): boolean;
}

/** A language chosen in Settings wins; otherwise --lang; otherwise the system's language. */
export function resolveLanguage(
  setting: 'system' | 'en' | 'de',
  override: 'en' | 'de' | null,
  system: string,
): 'en' | 'de' {
  if (setting !== 'system') return setting;
  if (override) return override;
  return system.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** What every domain is built on: the event bus, notices, the stores and settings. */
interface Base {
  platform: Platform;
  bus: EventBus;
  /** The newest 20 notices (shown in the app until dismissed). */
  notices: Notice[];
  notice(n: Notice): void;
  settings: SettingsStore;
  connectionsStore: KeyValueStore;
  language(): 'en' | 'de';
  downloadsDir(): string;
  /** The OS shell, its `openPath` guarded: programs and scripts are asked about or refused (issue 8.16). */
  shell: Platform['shell'];
  /** The tokens of the live clients (and the host's run secret), for the last-resort policy's log. */
  secrets: Secrets;
}

function createBase(platform: Platform): Base {
  const bus = createEventBus();
  const notices: Notice[] = [];
  const notice = (n: Notice) => {
    notices.push(n);
    if (notices.length > 20) notices.shift();
    platform.log(`notice: ${n.code}: ${n.message}`);
    bus.emit('app:notice', n);
  };
  const onCorrupt = (r: { file: string; movedTo: string; reason: string }) =>
    notice({
      level: 'warning',
      code: 'store_corrupt',
      message: `A damaged settings file was set aside (kept as ${r.movedTo}) and fresh settings were started. Reason: ${r.reason}`,
    });

  const settingsStore = openStore(platform.storeFactory, { cwd: platform.dataDir, name: 'settings' }, onCorrupt);
  const connectionsStore = openStore(platform.storeFactory, { cwd: platform.dataDir, name: 'connections' }, onCorrupt);
  const settings = new SettingsStore(settingsStore, (keys) =>
    notice({
      level: 'warning',
      code: 'settings_reset',
      message: `Some settings were invalid and were reset: ${keys.join(', ')}.`,
    }),
  );
  // The app's one bandwidth limit (localfs/throttle.ts) follows the settings, live.
  followSettings(appBandwidth(), settings);
  const language = () => resolveLanguage(settings.get().language, platform.languageOverride, platform.systemLanguage);
  const downloadsDir = () => settings.get().downloadsDir ?? platform.downloadsDir;
  const confirmOpen = platform.confirmOpen;
  const shell = guardShell(platform.shell, {
    platform: platform.platform,
    ...(confirmOpen ? { confirm: (path: string) => confirmOpen(path, language()) } : {}),
    log: platform.log,
  });
  const secrets = new Secrets();
  return { platform, bus, notices, notice, settings, connectionsStore, language, downloadsDir, shell, secrets };
}

function createConnections(base: Base, sources: () => Sources) {
  const { platform, bus } = base;
  // One thread writes large downloads for every connection (direct-wire.ts). Started with the app
  // (about 20 ms and 8 MB), so the first large download does not wait for it; a failed start
  // leaves downloads on this thread.
  const downloadWorker = new DirectWorker();
  void downloadWorker.ready();
  const { endpoints, custom } = resolveEndpoints(platform.env);
  const extraCa = readExtraCa(platform.env, (path) => readFileSync(path, 'utf8'));
  const vault = new Vault(base.connectionsStore, platform.cipher);
  const connections = new Connections({
    store: base.connectionsStore,
    vault,
    target: { endpoints, ca: extraCa },
    demo: platform.demoAvailable ? createDemoProvider({ dataDir: platform.dataDir, log: platform.log }) : null,
    createClient: ({ token, endpoints: ep, ca, onUnauthorized, retry }) => {
      // While a client lives, the last-resort policy scrubs its token from what it logs (last-resort.ts).
      const release = base.secrets.hold(token);
      const client = createInfomaniakClient({
        token,
        endpoints: ep,
        ca,
        onUnauthorized,
        ...(retry ? { retry } : {}),
        log: platform.log,
        maxConcurrent: 8,
        downloadWorker,
        // HTTPS_PROXY / NO_PROXY from the shell's environment; in Electron, the system proxy per origin.
        proxy: { env: platform.env, ...(platform.resolveProxy ? { resolve: platform.resolveProxy } : {}) },
      });
      const close = client.close.bind(client);
      return Object.assign(client, {
        close: () => {
          release();
          return close();
        },
      });
    },
    onChange: (list) => {
      bus.emit('connections:changed', list);
      bus.emit('sources:rootsChanged', sources().roots());
    },
    onProgress: (p) => bus.emit('connections:progress', p),
    log: platform.log,
  });
  return { vault, connections, customEndpoints: custom, downloadWorker };
}

function createSources(base: Base, connections: Connections): Sources {
  return new Sources({
    connections,
    adapters: [new KdriveAdapter(), new CalendarAdapter(), new ContactsAdapter(), new MailAdapter()],
    settings: () => base.settings.get(),
    language: base.language,
    emitPage: (page) => base.bus.emit('sources:page', page),
    log: base.platform.log,
  });
}

/** `reuse`: a job with what the app already holds of it offered to the writer (drag-out's staged copies). */
function createTransfers(base: Base, sources: Sources, reuse: (nodeId: string, job: DownloadJob) => DownloadJob) {
  const { platform, bus, settings } = base;
  // A download whose name is taken by a file that was there asks (13.5); Replace uses the OS trash, or in the host `.trash`.
  const existing = new ExistingFiles({
    trash: async (path, root) => {
      // The file's way is checked first (no link or junction below the download folder): a file behind one is never trashed.
      const checked = await resolveTarget(targetOf(root, path));
      if (platform.trashItem) await platform.trashItem(checked);
      else await trashInside(root, checked);
    },
    onChange: (questions) => bus.emit('transfers:existing', questions),
  });
  const transfers = new TransferManager({
    dataDir: join(platform.dataDir, 'transfers'),
    existing,
    resolve: async (node, folderMode, signal) => reuse(node.id, await sources.job(node.id, folderMode, node, signal)),
    describe: (nodeId) => sources.describe(nodeId),
    shell: base.shell,
    concurrency: settings.get().concurrency,
    onChange: (changes) => bus.emit('transfers:changed', changes),
    onNotice: base.notice,
    log: platform.log,
  });
  settings.onChange((s) => {
    transfers.setConcurrency(s.concurrency);
    bus.emit('settings:changed', s);
  });
  return { transfers, existing };
}

/** A kDrive file's versions and previews (issue 24.2, 24.3); previews cached in `<data>/previews`. */
function createFileExtras(base: Base, sources: Sources, transfers: TransferManager): FileExtras {
  return new FileExtras({
    node: (id) => sources.node(id),
    remember: (nodes) => sources.remember(nodes),
    client: (connectionId, lane) => sources.client(connectionId, lane),
    download: (nodeIds, targetDir) => transfers.start({ nodeIds, folderMode: 'files', targetDir }),
    downloadedPath: (nodeId) => transfers.completedFilesFor([nodeId])[0] ?? null,
    downloadsDir: base.downloadsDir,
    cache: new PreviewCache({ dir: join(base.platform.dataDir, 'previews'), log: base.platform.log }),
  });
}

/** Drag-out: a bounded staging cache (emptied on start and quit) and the service that fills it. */
async function createDrag(
  base: Base,
  deps: { sources: Sources; connections: Connections; transfers: TransferManager },
): Promise<DragOut> {
  const { platform } = base;
  const { sources, connections, transfers } = deps;
  const dragCache = new StagingCache({
    root: join(platform.dataDir, 'drag-cache'),
    maxBytes: 1024 * 1024 * 1024,
    maxAgeMs: 60 * 60_000,
    onEvict: (key) => drag.evicted(key),
  });
  await dragCache.init();
  const drag = new DragOut({
    cache: dragCache,
    node: (id) => sources.node(id),
    isForeign: (id) => {
      const parsed = parseId(id);
      return !parsed || !connections.list().some((c) => c.id === parsed.connectionId);
    },
    // Staging for a drag spends the token's budget in the background lane (issue 22.2).
    job: (id) => sources.job(id, 'files', undefined, undefined, 'background'),
    downloaded: (id) => transfers.completedFilesFor([id])[0] ?? null,
    ...(platform.startDrag ? { startDrag: platform.startDrag } : {}),
    emit: (states) => base.bus.emit('drag:states', states),
    log: platform.log,
  });
  return drag;
}

function createSync(base: Base, deps: { connections: Connections; sources: Sources }): QuickSync {
  const { platform, settings } = base;
  const sync = new QuickSync({
    dataDir: join(platform.dataDir, 'sync'),
    connections: deps.connections,
    lookupNode: (nodeId) => deps.sources.node(nodeId),
    sources: deps.sources,
    settings: () => settings.get(),
    downloadsDir: base.downloadsDir,
    platform: platform.platform,
    trashItem: platform.trashItem,
    openPath: (path) => base.shell.openPath(path),
    chooseDirectory: platform.chooseDirectory,
    onChange: (list) => base.bus.emit('sync:changed', list),
    log: platform.log,
    notice: base.notice,
  });
  settings.onChange(() => sync.settingsChanged());
  return sync;
}

/**
 * Automatic sync became the default (on, every 15 minutes). An install that already has pairs and
 * never saved its settings ran them by hand under the earlier default (off, 60 minutes): it keeps
 * that. An install that saved its settings has its own values stored, which always win.
 */
function keepScheduleOfEarlierInstall(base: Base, sync: QuickSync): void {
  if (sync.list().length === 0) return;
  const kept = base.settings.keepEarlier({ syncScheduled: false, syncEveryMinutes: 60 });
  if (kept.length > 0)
    base.platform.log(`sync: kept the earlier schedule (off) for the existing pairs: ${kept.join(', ')}`);
}

/** What start-up checks before anything is sent: endpoints, the host vault key. */
function checkAtStart(base: Base, connections: Connections): void {
  // Connections validated for other addresses send nothing until the user confirms (issue 8.14).
  connections.checkEndpoints();

  // A damaged host vault key was set aside: say so, and mark every token it locked (issue 8.12).
  const keyProblem = base.platform.cipher.keyProblem?.();
  if (keyProblem?.setAside) {
    base.notice({ level: 'warning', code: 'vault_key_set_aside', message: keyProblem.message });
    for (const c of connections.list())
      connections.markNeedsAttention(c.id, {
        code: 'vault_locked',
        message: keyProblem.message,
        ...keyWording(keyProblem),
      });
  }
}

export async function createApp(platform: Platform, options: AppOptions): Promise<App> {
  const base = createBase(platform);
  const { bus, settings } = base;
  const { vault, connections, customEndpoints, downloadWorker } = createConnections(base, () => sources);
  const sources = createSources(base, connections);
  // A Download or Save to… of a file a drag staged places the staged copy (issue 22.1).
  const { transfers, existing } = createTransfers(base, sources, (id, job) => drag.withStagedCopy(id, job));
  const extras = createFileExtras(base, sources, transfers);
  const drag = await createDrag(base, { sources, connections, transfers });
  const sync = createSync(base, { connections, sources });

  const handlers: Handlers = {
    ...appHandlers({
      platform,
      settings,
      vault,
      language: base.language,
      downloadsDir: base.downloadsDir,
      customEndpoints,
      notices: () => base.notices,
    }),
    ...connectionHandlers(connections),
    ...sourcesHandlers(sources, bus, platform),
    ...fileExtrasHandlers(extras),
    ...transferHandlers({ platform, transfers, settings, downloadsDir: base.downloadsDir }),
    ...existingHandlers(existing),
    ...dragHandlers(drag),
    ...syncHandlers(sync),
  };
  const router = createRouter(handlers, {
    isTrustedSender: options.isTrustedSender,
    onInternalError: (channel: ChannelName | string, error) =>
      platform.log(
        `ipc: ${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
  });

  checkAtStart(base, connections);
  await transfers.restore();
  await sync.init();
  keepScheduleOfEarlierInstall(base, sync);

  return {
    router,
    bus,
    handlers,
    connections,
    sources,
    transfers,
    drag,
    sync,
    settings: () => settings.get(),
    language: base.language,
    secrets: base.secrets,
    async dispose() {
      sync.dispose();
      await drag.dispose();
      await transfers.dispose();
      await connections.dispose();
      await downloadWorker.close();
    },
  };
}
