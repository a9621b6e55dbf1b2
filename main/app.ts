/**
 * The composition root for the services. Both shells call createApp() with their Platform: the
 * Electron shell (main/index.ts) and the browser host (main/host/cli.ts). Every service is built
 * here, explicitly, with its dependencies passed in; nothing is constructed at import time.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { ChannelName } from '../shared/ipc/contract';
import { AppFailure } from '../shared/model/errors';
import type { AppInfo, Notice, Settings } from '../shared/model/settings';
import { createDemoProvider } from './demo/index';
import { StagingCache } from './drag/cache';
import { DragService } from './drag/service';
import { createInfomaniakClient } from './infomaniak/client';
import { readExtraCa, resolveEndpoints } from './infomaniak/endpoints';
import { createEventBus, createRouter } from './ipc/router';
import type { CallContext, EventBus, Handlers, Router } from './ipc/router';
import type { Platform } from './platform';
import { ConnectionsService } from './services/connections';
import { SettingsService } from './services/settings';
import { openStore } from './services/store';
import { Vault } from './services/vault';
import { CalendarAdapter } from './sources/calendar';
import { ContactsAdapter } from './sources/contacts';
import { KdriveAdapter } from './sources/kdrive';
import { MailAdapter } from './sources/mail';
import { parseId } from './sources/ids';
import { SourcesService } from './sources/service';
import { webAppUrl } from './sources/web-app';
import { SyncService } from './sync/service';
import { TransferManager } from './transfers/manager';

export interface App {
  router: Router;
  bus: EventBus;
  handlers: Handlers;
  connections: ConnectionsService;
  sources: SourcesService;
  transfers: TransferManager;
  drag: DragService;
  sync: SyncService;
  /** Current settings (the shell reads the tray's settings and language from them). */
  settings: () => Settings;
  /** The UI language now (Settings, then --lang, then the system). */
  language: () => 'en' | 'de';
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

export async function createApp(platform: Platform, options: AppOptions): Promise<App> {
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
  const settings = new SettingsService(settingsStore, (keys) =>
    notice({
      level: 'warning',
      code: 'settings_reset',
      message: `Some settings were invalid and were reset: ${keys.join(', ')}.`,
    }),
  );
  const language = () => resolveLanguage(settings.get().language, platform.languageOverride, platform.systemLanguage);

  const { endpoints, custom } = resolveEndpoints(platform.env);
  const extraCa = readExtraCa(platform.env, (path) => readFileSync(path, 'utf8'));
  const vault = new Vault(connectionsStore, platform.cipher);

  const connections = new ConnectionsService({
    store: connectionsStore,
    vault,
    target: { endpoints, ca: extraCa },
    demo: platform.demoAvailable ? createDemoProvider({ dataDir: platform.dataDir, log: platform.log }) : null,
    createClient: ({ token, endpoints: ep, ca, onUnauthorized }) =>
      createInfomaniakClient({
        token,
        endpoints: ep,
        ca,
        onUnauthorized,
        log: platform.log,
        maxConcurrent: 8,
        // HTTPS_PROXY / NO_PROXY from the shell's environment; in Electron, the system proxy per origin.
        proxy: { env: platform.env, ...(platform.resolveProxy ? { resolve: platform.resolveProxy } : {}) },
      }),
    onChange: (list) => {
      bus.emit('connections:changed', list);
      bus.emit('sources:rootsChanged', sources.roots());
    },
    onProgress: (p) => bus.emit('connections:progress', p),
    log: platform.log,
  });

  const calendarAdapter = new CalendarAdapter();
  const contactsAdapter = new ContactsAdapter();
  const sources = new SourcesService({
    connections,
    adapters: [new KdriveAdapter(), calendarAdapter, contactsAdapter, new MailAdapter()],
    settings: () => settings.get(),
    language,
    emitPage: (page) => bus.emit('sources:page', page),
    log: platform.log,
  });

  const transfers = new TransferManager({
    dataDir: join(platform.dataDir, 'transfers'),
    resolve: (node, folderMode, signal) => sources.job(node.id, folderMode, node, signal),
    describe: (nodeId) => sources.describe(nodeId),
    shell: platform.shell,
    concurrency: settings.get().concurrency,
    onChange: (changes) => bus.emit('transfers:changed', changes),
    onNotice: notice,
    log: platform.log,
  });
  settings.onChange((s) => {
    transfers.setConcurrency(s.concurrency);
    bus.emit('settings:changed', s);
  });

  // Drag-out: a bounded staging cache (emptied on start and quit) and the service that fills it.
  const dragCache = new StagingCache({
    root: join(platform.dataDir, 'drag-cache'),
    maxBytes: 1024 * 1024 * 1024,
    maxAgeMs: 60 * 60_000,
    onEvict: (key) => drag.evicted(key),
  });
  await dragCache.init();
  const drag = new DragService({
    cache: dragCache,
    node: (id) => sources.node(id),
    isForeign: (id) => {
      const parsed = parseId(id);
      return !parsed || !connections.list().some((c) => c.id === parsed.connectionId);
    },
    job: (id) => sources.job(id, 'files'),
    downloaded: (id) => transfers.completedFilesFor([id])[0] ?? null,
    ...(platform.startDrag ? { startDrag: platform.startDrag } : {}),
    emit: (states) => bus.emit('drag:states', states),
    log: platform.log,
  });

  const downloadsDir = () => settings.get().downloadsDir ?? platform.downloadsDir;

  const sync = new SyncService({
    dataDir: join(platform.dataDir, 'sync'),
    connections,
    lookupNode: (nodeId) => sources.node(nodeId),
    calendar: calendarAdapter,
    contacts: contactsAdapter,
    settings: () => settings.get(),
    language,
    downloadsDir,
    platform: platform.platform,
    trashItem: platform.trashItem,
    openPath: (path) => platform.shell.openPath(path),
    chooseDirectory: platform.chooseDirectory,
    onChange: (list) => bus.emit('sync:changed', list),
    log: platform.log,
  });
  settings.onChange(() => sync.settingsChanged());

  const handlers: Handlers = {
    'app:info': (): AppInfo => ({
      name: 'PowerOn Sources',
      version: platform.version,
      host: platform.host,
      platform: platform.platform,
      language: language(),
      customEndpoints: custom,
      downloadsDir: downloadsDir(),
      demoAvailable: platform.demoAvailable,
      notices: [...notices],
    }),
    'app:openPage': ({ page }) => platform.shell.openPage(page),
    'app:copyText': ({ text }) => {
      if (!platform.copyText) throw new AppFailure('unavailable', 'The browser host copies in the page itself.');
      platform.copyText(text);
    },
    'settings:get': () => settings.get(),
    'settings:set': (patch) => settings.update(patch),
    'settings:chooseDownloadsDir': async () => {
      if (!platform.chooseDirectory)
        throw new AppFailure(
          'unavailable',
          'Choosing a folder needs the desktop app. Start the host with --downloads-dir instead.',
        );
      const dir = await platform.chooseDirectory();
      if (dir) settings.update({ downloadsDir: dir });
      return dir;
    },
    'vault:status': () => vault.status(),
    'connections:list': () => connections.list(),
    'connections:add': ({ token, attemptId, allowWeakStorage }) => connections.add(token, attemptId, allowWeakStorage),
    'connections:replaceToken': ({ id, token, attemptId, allowWeakStorage }) =>
      connections.replaceToken(id, token, attemptId, allowWeakStorage),
    'connections:remove': ({ id }) => connections.remove(id),
    'connections:confirmEndpoints': ({ id }) => connections.confirmEndpoints(id),
    'connections:startDemo': () => connections.startDemo(),
    'sources:roots': () => sources.roots(),
    'sources:list': ({ nodeId, refresh }) => sources.list(nodeId, refresh),
    'sources:cancel': ({ listingId }) => sources.cancel(listingId),
    'sources:refresh': ({ connectionId }) => {
      sources.refresh(connectionId);
      bus.emit('sources:rootsChanged', sources.roots());
    },
    'sources:openWebApp': async ({ nodeId }) => {
      const url = webAppUrl(nodeId, sources.node(nodeId) !== undefined);
      if (!platform.openWebApp) return { url, opened: false };
      await platform.openWebApp(url);
      return { url, opened: true };
    },
    'transfers:download': async ({ nodeIds, chooseTarget, folderMode }) => {
      let target = downloadsDir();
      if (chooseTarget && platform.chooseDirectory) {
        const chosen = await platform.chooseDirectory();
        if (!chosen) throw new AppFailure('cancelled', 'No folder was chosen.');
        target = chosen;
      }
      const transferIds = await transfers.start({
        nodeIds,
        folderMode: folderMode ?? settings.get().folderMode,
        targetDir: target,
      });
      return { transferIds };
    },
    'transfers:list': () => transfers.list(),
    'transfers:cancel': ({ id }) => transfers.cancel(id),
    'transfers:retry': ({ id }) => transfers.retry(id),
    'transfers:open': ({ id }) => transfers.open(id),
    'transfers:reveal': ({ id }) => transfers.reveal(id),
    'transfers:clearFinished': () => transfers.clearFinished(),
    'drag:prepare': ({ nodeIds }) => drag.prepare(nodeIds),
    'drag:start': ({ nodeIds, dragId }, ctx) => drag.start(nodeIds, dragId, ctx.senderUrl),
    'drag:release': ({ dragId }) => drag.release(dragId),
    'drag:link': ({ nodeId }) => drag.link(nodeId),
    'sync:list': () => sync.list(),
    'sync:create': (input) => sync.create(input),
    'sync:preview': ({ id }) => sync.preview(id),
    'sync:run': ({ ids }) => ({ started: sync.start(ids) }),
    'sync:pause': ({ id, paused }) => sync.pause(id, paused),
    'sync:remove': ({ id }) => sync.remove(id),
    'sync:openFolder': ({ id }) => sync.openFolder(id),
  };

  const router = createRouter(handlers, {
    isTrustedSender: options.isTrustedSender,
    onInternalError: (channel: ChannelName | string, error) =>
      platform.log(
        `ipc: ${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
  });

  // Connections validated for other addresses send nothing until the user confirms (issue 8.14).
  connections.checkEndpoints();

  // A damaged host vault key was set aside: say so, and mark every token it locked (issue 8.12).
  const keyProblem = platform.cipher.keyProblem?.();
  if (keyProblem?.setAside) {
    notice({ level: 'warning', code: 'vault_key_set_aside', message: keyProblem.message });
    for (const c of connections.list())
      connections.markNeedsAttention(c.id, { code: 'vault_locked', message: keyProblem.message });
  }

  await transfers.restore();
  await sync.init();

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
    language,
    async dispose() {
      sync.dispose();
      await drag.dispose();
      await transfers.dispose();
      await connections.dispose();
    },
  };
}
