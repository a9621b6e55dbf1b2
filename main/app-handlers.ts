/**
 * The one handler per IPC channel, grouped by domain. Each group takes the services it calls
 * (built in the composition root, `app.ts`); `createApp` joins the groups into `Handlers`, so the
 * type checker still demands a handler for every channel of the contract.
 */
import { AppFailure, failWith } from '../shared/model/errors';
import type { AppInfo, Notice } from '../shared/model/settings';
import type { DragOut } from './drag/service';
import type { EventBus, Handlers } from './ipc/router';
import type { Platform } from './platform';
import type { Connections } from './connections/connections';
import type { SettingsStore } from './settings/settings';
import type { Vault } from './connections/vault';
import type { Sources } from './sources/service';
import type { FileExtras } from './sources/file-extras';
import { webAppUrl } from './sources/web-app';
import type { QuickSync } from './sync/service';
import type { ExistingFiles } from './transfers/existing';
import type { TransferManager } from './transfers/manager';

export interface AppHandlerDeps {
  platform: Platform;
  settings: SettingsStore;
  vault: Vault;
  language(): 'en' | 'de';
  downloadsDir(): string;
  /** The endpoints the environment overrides (shown in About). */
  customEndpoints: AppInfo['customEndpoints'];
  /** The notices so far (the newest 20). */
  notices(): Notice[];
}

export function appHandlers(d: AppHandlerDeps) {
  const { platform, settings } = d;
  return {
    'app:info': (): AppInfo => ({
      name: 'PowerOn Sources',
      version: platform.version,
      host: platform.host,
      capabilities: platform.capabilities,
      platform: platform.platform,
      language: d.language(),
      customEndpoints: d.customEndpoints,
      downloadsDir: d.downloadsDir(),
      demoAvailable: platform.demoAvailable,
      notices: [...d.notices()],
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
        throw failWith(
          'unavailable',
          'choose_folder',
          'Choosing a folder needs the desktop app. Start the host with --downloads-dir instead.',
        );
      const dir = await platform.chooseDirectory();
      if (dir) settings.update({ downloadsDir: dir });
      return dir;
    },
    'vault:status': () => d.vault.status(),
  } satisfies Partial<Handlers>;
}

export function connectionHandlers(connections: Connections) {
  return {
    'connections:list': () => connections.list(),
    'connections:add': ({ token, attemptId, allowWeakStorage }) => connections.add(token, attemptId, allowWeakStorage),
    'connections:replaceToken': ({ id, token, attemptId, allowWeakStorage }) =>
      connections.replaceToken(id, token, attemptId, allowWeakStorage),
    'connections:remove': ({ id }) => connections.remove(id),
    'connections:confirmEndpoints': ({ id }) => connections.confirmEndpoints(id),
    'connections:startDemo': () => connections.startDemo(),
  } satisfies Partial<Handlers>;
}

export function sourcesHandlers(sources: Sources, bus: EventBus, platform: Platform) {
  return {
    'sources:roots': () => sources.roots(),
    'sources:list': ({ nodeId, refresh }) => sources.list(nodeId, refresh),
    'sources:cancel': ({ listingId }) => sources.cancel(listingId),
    'sources:refresh': ({ connectionId }) => {
      sources.refresh(connectionId);
      bus.emit('sources:rootsChanged', sources.roots());
    },
    'sources:search': ({ nodeId, query, searchId }) => sources.search(nodeId, query, searchId),
    'sources:cancelSearch': ({ searchId }) => sources.cancelSearch(searchId),
    'sources:openWebApp': async ({ nodeId }) => {
      const url = webAppUrl(nodeId, sources.node(nodeId) !== undefined);
      if (!platform.openWebApp) return { url, opened: false };
      await platform.openWebApp(url);
      return { url, opened: true };
    },
  } satisfies Partial<Handlers>;
}

export interface TransferHandlerDeps {
  platform: Platform;
  transfers: TransferManager;
  settings: SettingsStore;
  downloadsDir(): string;
}

export function transferHandlers({ platform, transfers, settings, downloadsDir }: TransferHandlerDeps) {
  return {
    'transfers:download': async ({ nodeIds, chooseTarget, folderMode }) => {
      let target = downloadsDir();
      if (chooseTarget && platform.chooseDirectory) {
        const chosen = await platform.chooseDirectory();
        if (!chosen) throw failWith('cancelled', 'no_folder_chosen', 'No folder was chosen.');
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
  } satisfies Partial<Handlers>;
}

/** "Already exists" (13.5): the open questions and the user's answers. */
export function existingHandlers(existing: ExistingFiles) {
  return {
    'transfers:listExisting': () => existing.questions(),
    'transfers:resolveExisting': (answer) => existing.answer(answer),
  } satisfies Partial<Handlers>;
}

export function dragHandlers(drag: DragOut) {
  return {
    'drag:start': ({ nodeIds, dragId }, ctx) => drag.start(nodeIds, dragId, ctx.senderUrl),
    'drag:release': ({ dragId }) => drag.release(dragId),
    'drag:link': ({ nodeId }) => drag.link(nodeId),
  } satisfies Partial<Handlers>;
}

/** A kDrive file's versions and previews (issue 24.2, 24.3). */
export function fileExtrasHandlers(extras: FileExtras) {
  return {
    'sources:versions': ({ nodeId }) => extras.versions(nodeId),
    'sources:downloadVersion': async ({ nodeId }) => ({ transferIds: await extras.downloadVersion(nodeId) }),
    'sources:preview': ({ nodeId, size }) => extras.preview(nodeId, size),
  } satisfies Partial<Handlers>;
}

export function syncHandlers(sync: QuickSync) {
  return {
    'sync:list': () => sync.list(),
    'sync:create': (input) => sync.create(input),
    'sync:preview': ({ id }) => sync.preview(id),
    'sync:run': ({ ids }) => ({ started: sync.start(ids) }),
    'sync:pause': ({ id, paused }) => sync.pause(id, paused),
    'sync:remove': ({ id }) => sync.remove(id),
    'sync:openFolder': ({ id }) => sync.openFolder(id),
    'sync:decide': ({ id, choice }) => sync.decide(id, choice),
  } satisfies Partial<Handlers>;
}
