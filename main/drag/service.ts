/**
 * Drag-out: which local paths a drag of some nodes hands to the OS, and getting them there.
 *
 * - The renderer names nodes only. Each id must be one the Sources tree listed (main/sources/service.ts), of a
 *   connection that exists (else refused); paths come from main's own records and cache.
 * - A file downloaded before and unchanged (size and mtime match the listing the download wrote)
 *   is dragged from where it is; anything else is staged in the bounded cache (`cache.ts`) through
 *   the transfer writer (`stage.ts`) — only when a drag begins (`start`, or a browser host's drag
 *   link used by the drop: `open`), never on selection (issue 22.1: the user's budget and bandwidth).
 * - A drag of items not staged yet waits for them while the button is held (`release` ends the
 *   wait) and then starts; items too large to stage answer `saveTo`.
 * - A staged copy is reused by a following Download or Save to… (`withStagedCopy`): the writer
 *   places it instead of fetching the file again.
 */
import { createReadStream } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import PQueue from 'p-queue';
import { AppFailure, failWith } from '../../shared/model/errors';
import type { DragLink, DragOutcome, DragState } from '../../shared/model/drag';
import type { SourceNode } from '../../shared/model/sources';
import { appErrorFrom, failure } from '../errors/app-error';
import { safeSegment } from '../localfs/safe-name';
import type { DownloadJob } from '../transfers/types';
import type { DownloadItem } from '../localfs/types';
import { appBandwidth } from '../localfs/throttle';
import type { Bandwidth } from '../localfs/throttle';
import type { StagingCache } from './cache';
import { stageJob, TooLargeToStage } from './stage';
import { keyOf, offerStagedCopy } from './staged-copy';
import type { StageOptions } from './stage';

export const DEFAULT_STAGE_LIMIT = 64 * 1024 * 1024;
/** How long a staged entry is kept from eviction after a drag of it began (the drop reads it later). */
const PIN_MS = 5 * 60_000;
const MAX_STATES = 5000;

export interface DragOutDeps {
  cache: StagingCache;
  /** A node the Sources tree listed. */
  node(id: string): SourceNode | undefined;
  /** Not an id of ours: unparsable, or of a connection that does not exist (any more). */
  isForeign(id: string): boolean;
  job(id: string): Promise<DownloadJob>;
  /** Where a finished download of this node lies, when there is one. */
  downloaded(id: string): string | null;
  /** Electron: the OS drag. Absent in the browser host. */
  startDrag?: (paths: string[], senderUrl: string) => Promise<void>;
  /** Changed states, batched. */
  emit(states: DragState[]): void;
  /** Largest item (file or folder) staged; default 64 MiB. */
  stageLimitBytes?: number;
  /** Most files in a staged folder; default 1000. */
  maxFolderFiles?: number;
  /** Stagings at once; default 2. */
  concurrency?: number;
  /** A drag waits at most this long for staging (then counts as released); default 60 s. */
  maxWaitMs?: number;
  writer?: StageOptions['writer'];
  /** The bandwidth limit a drag link's streamed bytes count against; default the app's one limit. */
  bandwidth?: Bandwidth;
  log?: (line: string) => void;
}

/** Bytes for a one-time link (browser host). */
export interface DragBody {
  name: string;
  mime: string;
  size: number | null;
  body: AsyncIterable<Uint8Array>;
  cancel(): void;
}

export type LinkIssuer = (nodeId: string) => { url: string; expiresAt: number };

interface Task {
  key: string;
  abort: AbortController;
  /** Drags waiting for it. */
  holds: number;
  done: Promise<void>;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function state(nodeId: string, s: DragState['state'], done = 0, total: number | null = null): DragState {
  return { nodeId, state: s, bytesDone: Math.max(0, Math.floor(done)), bytesTotal: total };
}

export class DragOut {
  #deps: DragOutDeps;
  #limit: number;
  #queue: PQueue;
  #states = new Map<string, DragState>();
  #tasks = new Map<string, Task>();
  #keyNodes = new Map<string, string>();
  #pending = new Map<string, () => void>();
  #released = new Set<string>();
  #dirty = new Map<string, DragState>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #issuer: LinkIssuer | null = null;
  #disposed = false;

  constructor(deps: DragOutDeps) {
    this.#deps = deps;
    this.#limit = deps.stageLimitBytes ?? DEFAULT_STAGE_LIMIT;
    this.#queue = new PQueue({ concurrency: deps.concurrency ?? 2 });
  }

  /** The cache dropped an entry: its node is no longer ready. */
  evicted(key: string): void {
    const nodeId = this.#keyNodes.get(key);
    this.#keyNodes.delete(key);
    if (nodeId && this.#states.get(nodeId)?.state === 'ready') this.#set(state(nodeId, 'idle'));
  }

  /** Starts the OS drag of these nodes, at once or as soon as they are staged (until `release`). */
  async start(nodeIds: string[], dragId: string, senderUrl: string): Promise<DragOutcome> {
    const startDrag = this.#deps.startDrag;
    if (!startDrag)
      throw failWith('unavailable', 'drag_desktop', 'Dragging to the desktop needs the desktop app here.');
    const nodes = this.#resolveAll(nodeIds);
    const waits: Task[] = [];
    for (const node of nodes) {
      if (await this.#locate(node)) continue;
      if (this.#tooLarge(node)) {
        this.#set(state(node.id, 'saveTo', 0, node.size ?? null));
        return { outcome: 'saveTo' };
      }
      const task = this.#stage(node);
      task.holds += 1;
      waits.push(task);
    }
    if (waits.length > 0) {
      const released = await this.#waitFor(dragId, waits).finally(() => waits.forEach((t) => (t.holds -= 1)));
      if (released) return { outcome: 'released' };
    }
    const paths: string[] = [];
    for (const node of nodes) {
      const found = await this.#locate(node);
      if (!found) return this.#notStaged(node);
      this.#deps.cache.pin(keyOf(node), PIN_MS);
      paths.push(...found);
    }
    await startDrag(paths, senderUrl);
    return { outcome: 'started' };
  }

  /** The mouse button went up (or the window lost it): a waiting drag does not start any more. */
  release(dragId: string): void {
    const pending = this.#pending.get(dragId);
    if (pending) return pending();
    this.#released.add(dragId);
    if (this.#released.size > 64) this.#released.delete(this.#released.values().next().value as string);
  }

  /** Browser host: the links come from the host server (set once it runs). */
  useLinks(issuer: LinkIssuer): void {
    this.#issuer = issuer;
  }

  /** Browser host: `DownloadURL` drag data (`mime:filename:url`) with a one-time link for one file. */
  link(nodeId: string): DragLink {
    if (!this.#issuer) throw new AppFailure('unavailable', 'Links for dragging exist only in the browser host.');
    const node = this.#resolve(nodeId);
    if (node.kind !== 'file')
      throw failWith('validation', 'drag_files_only', 'Only files can be dragged out of the browser.');
    const mime = /^[\w.+-]+\/[\w.+-]+$/.test(node.mimeType ?? '')
      ? (node.mimeType as string)
      : 'application/octet-stream';
    const { url, expiresAt } = this.#issuer(node.id);
    return { downloadUrl: `${mime}:${safeSegment(node.name).name}:${url}`, expiresAt };
  }

  /** The bytes behind a link: from disk when downloaded or staged (staging small files first), else streamed. */
  async open(nodeId: string, signal: AbortSignal): Promise<DragBody> {
    const node = this.#resolve(nodeId);
    if (node.kind !== 'file')
      throw failWith('validation', 'drag_files_only', 'Only files can be dragged out of the browser.');
    const name = safeSegment(node.name).name;
    const mime = node.mimeType ?? 'application/octet-stream';
    let paths = await this.#locate(node);
    if (!paths && !this.#tooLarge(node)) {
      const task = this.#stage(node);
      task.holds += 1;
      await task.done.finally(() => (task.holds -= 1));
      paths = await this.#locate(node);
    }
    const [path] = paths ?? [];
    if (path) {
      this.#deps.cache.pin(keyOf(node), PIN_MS);
      const info = await stat(path);
      const stream = createReadStream(path);
      return { name, mime, size: info.size, body: stream, cancel: () => stream.destroy() };
    }
    return this.#direct(node, name, mime, signal);
  }

  /**
   * A download job of a node, with the node's staged copy (if a drag staged this version) offered
   * to the writer: a following Download or Save to… places it instead of fetching it again.
   */
  withStagedCopy(nodeId: string, job: DownloadJob): DownloadJob {
    const node = this.#deps.node(nodeId);
    return node ? offerStagedCopy(this.#deps.cache, node, job, PIN_MS) : job;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const task of this.#tasks.values()) task.abort.abort();
    for (const pending of [...this.#pending.values()]) pending();
    this.#queue.clear();
    await Promise.allSettled([...this.#tasks.values()].map((t) => t.done));
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    await this.#deps.cache.dispose();
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  #resolve(id: string): SourceNode {
    if (this.#deps.isForeign(id))
      throw failWith('forbidden', 'foreign_item', 'This item does not belong to a connection of this app.');
    const node = this.#deps.node(id);
    if (!node) throw failWith('not_found', 'node_unknown', 'This item is not known (any more). Open its folder again.');
    if (!node.downloadable)
      throw failWith('validation', 'not_draggable', `"${node.name}" cannot be dragged out.`, { name: node.name });
    return node;
  }

  #resolveAll(ids: string[]): SourceNode[] {
    return [...new Set(ids)].map((id) => this.#resolve(id));
  }

  #tooLarge(node: SourceNode): boolean {
    // A mail folder or mailbox costs one request per message (60 a minute): never staged for a drag.
    if (node.kind === 'mailfolder' || node.kind === 'mailbox') return true;
    return node.size !== undefined && node.size > Math.min(this.#limit, this.#deps.cache.maxBytes);
  }

  /** Paths a drag can use now: the unchanged download, or the staged entry. */
  async #locate(node: SourceNode): Promise<string[] | null> {
    const downloaded = node.kind === 'file' ? this.#deps.downloaded(node.id) : null;
    if (downloaded) {
      // lstat: a download replaced by a link is never handed to the OS (it is staged instead).
      const info = await lstat(downloaded).catch(() => null);
      const sameSize = node.size === undefined || info?.size === node.size;
      const sameTime = node.modifiedAt === undefined || Math.abs((info?.mtimeMs ?? 0) - node.modifiedAt) < 2000;
      if (info?.isFile() && sameSize && sameTime) return [downloaded];
    }
    const entry = this.#deps.cache.get(keyOf(node));
    return entry ? entry.paths : null;
  }

  #notStaged(node: SourceNode): DragOutcome {
    const s = this.#states.get(node.id);
    if (s?.state === 'saveTo') return { outcome: 'saveTo' };
    if (s?.state === 'failed' && s.error) throw failure(s.error);
    throw failWith('io', 'drag_prepare', `"${node.name}" could not be prepared for dragging.`, { name: node.name });
  }

  #stage(node: SourceNode): Task {
    const key = keyOf(node);
    const existing = this.#tasks.get(key);
    if (existing) return existing;
    const abort = new AbortController();
    const task: Task = { key, abort, holds: 0, done: Promise.resolve() };
    this.#tasks.set(key, task);
    this.#set(state(node.id, 'preparing', 0, node.size ?? null));
    task.done = this.#queue
      .add(() => this.#run(node, key, abort.signal), { signal: abort.signal })
      .catch(() => {
        if (this.#states.get(node.id)?.state === 'preparing') this.#set(state(node.id, 'idle'));
      })
      .finally(() => {
        if (this.#tasks.get(key) === task) this.#tasks.delete(key);
      });
    return task;
  }

  async #run(node: SourceNode, key: string, signal: AbortSignal): Promise<void> {
    const limit = Math.min(this.#limit, this.#deps.cache.maxBytes);
    const reservation = await this.#deps.cache.reserve(key, node.kind === 'file' ? (node.size ?? limit) : limit);
    if (!reservation) {
      this.#set(state(node.id, 'saveTo', 0, node.size ?? null));
      return;
    }
    try {
      const job = await this.#deps.job(node.id);
      const result = await stageJob(job, reservation.tmpDir, {
        limits: { maxBytes: reservation.bytes, maxFiles: this.#deps.maxFolderFiles ?? 1000 },
        signal,
        onProgress: (done, total) => this.#set(state(node.id, 'preparing', done, total ?? node.size ?? null), false),
        ...(this.#deps.writer ? { writer: this.#deps.writer } : {}),
        ...(this.#deps.log ? { log: this.#deps.log } : {}),
      });
      if (signal.aborted || this.#disposed) throw new AppFailure('cancelled', 'Cancelled.');
      await this.#deps.cache.commit(reservation, result.names, result.bytes);
      this.#keyNodes.set(key, node.id);
      this.#set(state(node.id, 'ready', result.bytes, result.bytes));
    } catch (error) {
      await this.#deps.cache.abandon(reservation);
      if (error instanceof TooLargeToStage) this.#set(state(node.id, 'saveTo', 0, node.size ?? null));
      else if (signal.aborted || this.#disposed) this.#set(state(node.id, 'idle'));
      else {
        const appError = appErrorFrom(error);
        this.#deps.log?.(`drag: staging failed: ${appError.code}: ${appError.message}`);
        this.#set({ ...state(node.id, 'failed'), error: appError });
      }
    }
  }

  /** Resolves true when the drag was released (or waited too long), false when the tasks ended. */
  #waitFor(dragId: string, tasks: Task[]): Promise<boolean> {
    if (this.#released.delete(dragId)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const finish = (released: boolean) => {
        clearTimeout(timer);
        if (this.#pending.get(dragId) === onRelease) this.#pending.delete(dragId);
        resolve(released);
      };
      const onRelease = () => finish(true);
      const timer = setTimeout(onRelease, this.#deps.maxWaitMs ?? 60_000);
      this.#pending.set(dragId, onRelease);
      void Promise.all(tasks.map((t) => t.done)).then(() => finish(false));
    });
  }

  async #direct(node: SourceNode, name: string, mime: string, signal: AbortSignal): Promise<DragBody> {
    const job = await this.#deps.job(node.id);
    let item: DownloadItem | null = null;
    for await (const candidate of job.items) {
      if ('fetch' in candidate || 'content' in candidate) {
        item = candidate as DownloadItem;
        break;
      }
    }
    if (item?.content) {
      const bytes = await item.content();
      return { name, mime, size: bytes.byteLength, body: once(bytes), cancel: () => undefined };
    }
    if (!item?.fetch) throw failWith('not_found', 'not_downloadable', 'Nothing to download for this item.');
    const response = await item.fetch({ signal });
    // Streamed to the browser rather than written here, but the app's bandwidth limit holds all the same.
    const body = (this.#deps.bandwidth ?? appBandwidth()).throttled(response.body, signal);
    return { name, mime, size: response.totalSize, body, cancel: () => response.cancel() };
  }

  /** Records a state; state changes go out at once, progress at most every 100 ms. */
  #set(next: DragState, immediate = true): DragState {
    const previous = this.#states.get(next.nodeId);
    this.#states.delete(next.nodeId);
    this.#states.set(next.nodeId, next);
    if (this.#states.size > MAX_STATES) this.#states.delete(this.#states.keys().next().value as string);
    this.#dirty.set(next.nodeId, next);
    if (immediate || previous?.state !== next.state) this.#flush();
    else this.#flushTimer ??= setTimeout(() => this.#flush(), 100);
    return next;
  }

  #flush(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#dirty.size === 0 || this.#disposed) return;
    const batch = [...this.#dirty.values()];
    this.#dirty.clear();
    this.#deps.emit(batch);
  }
}
