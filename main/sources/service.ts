/**
 * `Sources`, the Sources tree: roots (one node per connection), lazy children through the adapters,
 * streamed to the renderer page by page, and download jobs for the transfer engine.
 */
import { randomUUID } from 'node:crypto';
import { failWith } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import type { Connection, ServiceId } from '../../shared/model/connection';
import { SERVICE_IDS } from '../../shared/model/connection';
import type { Settings } from '../../shared/model/settings';
import type { SourceNode, SourcePage } from '../../shared/model/sources';
import type { DownloadJob, NodeFacts } from '../transfers/types';
import type { Connections } from '../connections/connections';
import { observe } from '../infomaniak/observe';
import type { CallObservers } from '../infomaniak/observe';
import { inLane } from '../infomaniak/lanes';
import type { InfomaniakApi, RequestLane } from '../infomaniak/types';
import type { SyncLayout } from '../../shared/model/sync';
import { WaitCountdown } from './listing-wait';
import { NodeCache } from './node-cache';
import { connectionNodeId, parseId, segment, serviceNodeId } from './ids';
import { searchSubtree } from './kdrive-search';
import type { SearchResult } from '../../shared/model/search';
import type { ParsedId } from './ids';
import type { AdapterContext, SourceAdapter, Subtree } from './types';

export interface SourcesDeps {
  connections: Connections;
  adapters: SourceAdapter[];
  settings: () => Settings;
  language: () => 'en' | 'de';
  emitPage: (page: SourcePage) => void;
  log: (line: string) => void;
  now?: () => number;
}

const SERVICE_NAMES: Record<ServiceId, string> = {
  kdrive: 'kDrive',
  calendar: 'Calendar',
  contacts: 'Contacts',
  mail: 'Mail',
};

export class Sources {
  #deps: SourcesDeps;
  #adapters = new Map<ServiceId, SourceAdapter>();
  /** Nodes listed so far, for details, paths and downloads (bounded, least recently used out). */
  #nodes = new NodeCache();
  #listings = new Map<string, AbortController>();
  #searches = new Map<string, AbortController>();

  constructor(deps: SourcesDeps) {
    this.#deps = deps;
    for (const adapter of deps.adapters) this.#adapters.set(adapter.service, adapter);
    deps.connections.onInvalidated((connectionId) => this.refresh(connectionId));
  }

  roots(): SourceNode[] {
    return this.#deps.connections.list().map((c) => this.#remember(connectionNode(c)));
  }

  node(id: string): SourceNode | undefined {
    return this.#nodes.get(id);
  }

  /** Starts listing the children of `nodeId`; pages are emitted as they arrive. */
  list(nodeId: string, refresh = false): { listingId: string } {
    const parsed = parseId(nodeId);
    if (!parsed) throw failWith('not_found', 'node_unknown', 'This item is not known.');
    const connection = this.#deps.connections.get(parsed.connectionId);
    if (refresh && parsed.service) this.#adapters.get(parsed.service)?.reset(parsed.connectionId);
    const listingId = randomUUID();
    const controller = new AbortController();
    this.#listings.set(listingId, controller);
    void this.#run(listingId, nodeId, parsed, connection, controller.signal).finally(() =>
      this.#listings.delete(listingId),
    );
    return { listingId };
  }

  cancel(listingId: string): void {
    this.#listings.get(listingId)?.abort();
  }

  /**
   * Searches a kDrive drive's or folder's whole subtree on the server by name (kdrive-search.ts).
   * `searchId` names the search for `cancelSearch`; a new search with the same id replaces it.
   */
  async search(nodeId: string, query: string, searchId: string): Promise<SearchResult> {
    const parsed = parseId(nodeId);
    const last = parsed?.path.at(-1);
    const driveId = parsed ? Number(segment(parsed, 'drive')) : NaN;
    const kind = this.#nodes.get(nodeId)?.kind;
    if (
      !parsed ||
      parsed.service !== 'kdrive' ||
      !Number.isSafeInteger(driveId) ||
      (kind !== 'drive' && kind !== 'folder')
    )
      throw failWith(
        'unavailable',
        'search_scope',
        'Searching on the server works in kDrive drives and folders: select one first.',
      );
    this.#searches.get(searchId)?.abort();
    const controller = new AbortController();
    this.#searches.set(searchId, controller);
    try {
      const ctx = await this.#context(parsed.connectionId, 'kdrive', controller.signal, 'interactive');
      const driveNodeId =
        nodeId.slice(0, nodeId.indexOf(`/drive:${encodeURIComponent(String(driveId))}`)) +
        `/drive:${encodeURIComponent(String(driveId))}`;
      const result = await searchSubtree({
        client: ctx.client,
        driveId,
        folderId: last?.type === 'f' ? Number(last.value) : 1,
        folderNodeId: nodeId,
        driveNodeId,
        driveName: this.#nodes.get(driveNodeId)?.name,
        query,
        signal: controller.signal,
      });
      for (const hit of result.hits) this.#remember(hit.node);
      return result;
    } finally {
      if (this.#searches.get(searchId) === controller) this.#searches.delete(searchId);
    }
  }

  cancelSearch(searchId: string): void {
    this.#searches.get(searchId)?.abort();
  }

  /** Drops per-browse-session caches (accounts, drive union…), for one connection or all. */
  refresh(connectionId?: string): void {
    const ids = connectionId ? [connectionId] : this.#deps.connections.list().map((c) => c.id);
    for (const id of ids) for (const adapter of this.#adapters.values()) adapter.reset(id);
  }

  /**
   * A download job for a node (the transfer engine's resolver). `hint` is what the transfer
   * remembered of the node; `signal` (the transfer's) aborts every request the job makes; `lane`:
   * the token's budget lane of its requests (drag staging: `background`).
   */
  async job(
    nodeId: string,
    folderMode: 'files' | 'zip',
    hint?: AdapterContext['hint'],
    signal: AbortSignal = new AbortController().signal,
    lane: RequestLane = 'download',
  ): Promise<DownloadJob> {
    const parsed = parseId(nodeId);
    if (!parsed?.service || parsed.path.length === 0)
      throw failWith('not_found', 'not_downloadable', 'This item cannot be downloaded.');
    const adapter = this.#adapters.get(parsed.service);
    if (!adapter) throw failWith('unavailable', 'service_unsupported', 'This service cannot download yet.');
    const ctx = await this.#context(parsed.connectionId, parsed.service, signal, lane);
    return adapter.job(hint ? { ...ctx, hint } : ctx, parsed, nodeId, folderMode);
  }

  /** What a transfer remembers of a node at start: `file` or `folder` (kDrive), and its name. */
  describe(nodeId: string): NodeFacts | null {
    const node = this.#nodes.get(nodeId);
    if (!node) return null;
    const kind = node.kind === 'file' ? 'file' : node.kind === 'folder' || node.kind === 'drive' ? 'folder' : null;
    return { kind, name: node.name, parent: node.parentId };
  }

  /**
   * The connection's client in `lane` (a listing the user opened: interactive; issue 22.2).
   */
  async client(connectionId: string, lane: RequestLane): Promise<InfomaniakApi> {
    return inLane(await this.#deps.connections.client(connectionId), lane);
  }

  /** Remembers nodes main made beside a listing (a file's versions), for details and downloads. */
  remember(nodes: readonly SourceNode[]): void {
    for (const node of nodes) this.#remember(node);
  }

  /**
   * Sync: the adapter's subtree of a node (kDrive drive or folder, calendar, address book), through
   * the same context as browsing; `observers` hear every request of it (a run counts them). The
   * client (observed too) is handed out for the run's own requests (the change feeds).
   */
  async subtree(
    nodeId: string,
    options: { layout: SyncLayout; signal: AbortSignal; observers?: CallObservers; log?: (line: string) => void },
  ): Promise<{ subtree: Subtree; client: InfomaniakApi }> {
    const parsed = parseId(nodeId);
    const adapter = parsed?.service ? this.#adapters.get(parsed.service) : undefined;
    if (!parsed?.service || !adapter?.subtree || parsed.path.length === 0)
      throw failWith('unavailable', 'not_syncable', 'This item cannot be kept in sync.');
    // A sync run spends the token's budget in the background lane (issue 22.2).
    const ctx = await this.#context(
      parsed.connectionId,
      parsed.service,
      options.signal,
      'background',
      options.observers,
    );
    const subtree = await adapter.subtree(ctx, parsed, nodeId, {
      layout: options.layout,
      ...(options.log ? { log: options.log } : {}),
    });
    return { subtree, client: ctx.client };
  }

  /**
   * The one context every adapter call gets (browsing, downloads, search, sync); every request of it
   * waits in the work's `lane` of the token's budget.
   */
  async #context(
    connectionId: string,
    service: ServiceId,
    signal: AbortSignal,
    lane: RequestLane,
    observers?: CallObservers,
  ): Promise<AdapterContext> {
    const client = await this.client(connectionId, lane);
    return {
      connectionId,
      serviceNodeId: serviceNodeId(connectionId, service),
      client: observers ? observe(client, observers) : client,
      settings: this.#deps.settings(),
      language: this.#deps.language(),
      lookup: (id) => this.#nodes.get(id),
      signal,
      now: () => this.#deps.now?.() ?? Date.now(),
    };
  }

  async #run(
    listingId: string,
    nodeId: string,
    parsed: ParsedId,
    connection: Connection,
    signal: AbortSignal,
  ): Promise<void> {
    const emit = (page: Omit<SourcePage, 'listingId' | 'parentId'>) => {
      if (!signal.aborted) this.#deps.emitPage({ listingId, parentId: nodeId, ...page });
    };
    // A request of this listing waiting for the token's budget: the loading row says how long.
    const countdown = new WaitCountdown((waitSeconds) => emit({ nodes: [], first: false, done: false, waitSeconds }));
    try {
      if (!parsed.service) {
        emit({
          nodes: SERVICE_IDS.map((s) => this.#remember(serviceNode(connection, s))),
          first: true,
          done: true,
          total: 4,
        });
        return;
      }
      const availability = connection.services[parsed.service];
      if (!availability.available)
        throw failWith('unavailable', 'service_off', availability.reason ?? 'Not available for this token.', {
          name: SERVICE_NAMES[parsed.service],
        });
      const adapter = this.#adapters.get(parsed.service);
      if (!adapter) throw failWith('unavailable', 'service_unsupported', 'This service is not supported yet.');
      const ctx = await this.#context(parsed.connectionId, parsed.service, signal, 'interactive', {
        onWait: (ms) => countdown.update(ms),
      });
      let first = true;
      let count = 0;
      let total: number | undefined;
      for await (const page of adapter.list(ctx, parsed, nodeId)) {
        if (signal.aborted) return;
        for (const node of page.nodes) this.#remember(node);
        count += page.nodes.length;
        if (page.total !== undefined) total = page.total;
        emit({ nodes: page.nodes, first, done: false, ...(total !== undefined ? { total } : {}) });
        first = false;
      }
      emit({ nodes: [], first, done: true, total: total ?? count });
    } catch (error) {
      const appError = appErrorFrom(error);
      if (appError.code === 'internal')
        this.#deps.log(
          `sources: listing ${nodeId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      emit({ nodes: [], first: true, done: true, error: appError });
    } finally {
      countdown.stop();
    }
  }

  #remember(node: SourceNode): SourceNode {
    this.#nodes.set(node);
    return node;
  }
}

function connectionNode(c: Connection): SourceNode {
  const node: SourceNode = {
    id: connectionNodeId(c.id),
    parentId: null,
    kind: 'connection',
    name: c.label,
    expandable: true,
    downloadable: false,
    childCount: 4,
    details: { accounts: c.accountIds.join(', '), scopes: c.grantedScopes.join(', ') },
  };
  if (c.status === 'needs_attention') {
    node.state = {
      kind: 'error',
      reason: c.problem?.message ?? 'This connection needs attention.',
      ...(c.problem ? { error: c.problem } : {}),
    };
  }
  return node;
}

function serviceNode(c: Connection, service: ServiceId): SourceNode {
  const availability = c.services[service];
  const node: SourceNode = {
    id: serviceNodeId(c.id, service),
    parentId: connectionNodeId(c.id),
    kind: 'service',
    service,
    name: SERVICE_NAMES[service],
    expandable: availability.available,
    downloadable: false,
  };
  if (!availability.available) {
    node.state = { kind: 'disabled', reason: availability.reason ?? 'Not available for this token.' };
  }
  return node;
}
