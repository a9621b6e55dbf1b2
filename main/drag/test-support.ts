/**
 * Test support for drag-out: a small world of listed nodes backed by fake resumable sources, and a
 * DragOut over a real StagingCache in a temporary folder.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DragState } from '../../shared/model/drag';
import type { SourceNode } from '../../shared/model/sources';
import { FakeSource } from '../localfs/test-support';
import type { DownloadJob } from '../transfers/types';
import type { DownloadFolder, DownloadItem } from '../localfs/types';
import { StagingCache } from './cache';
import { DragOut } from './service';
import type { DragOutDeps } from './service';

export const CONNECTION = 'conn:c1/kdrive/drive:1';

export function fileId(n: number | string): string {
  return `${CONNECTION}/f:${n}`;
}

/** Listed nodes, with the bytes behind each file and jobs counted. */
export class FakeWorld {
  nodes = new Map<string, SourceNode>();
  sources = new Map<string, FakeSource>();
  children = new Map<string, string[]>();
  jobs = 0;
  downloads = new Map<string, string>();

  addFile(n: number | string, bytes: Uint8Array | number, extra: Partial<SourceNode> = {}): SourceNode {
    const data = typeof bytes === 'number' ? new Uint8Array(bytes).map((_, i) => (i * 7 + 3) & 0xff) : bytes;
    const id = fileId(n);
    const node: SourceNode = {
      id,
      parentId: CONNECTION,
      kind: 'file',
      name: `file-${n}.bin`,
      expandable: false,
      downloadable: true,
      size: data.byteLength,
      modifiedAt: 1_700_000_000_000,
      mimeType: 'application/octet-stream',
      ...extra,
    };
    this.nodes.set(id, node);
    this.sources.set(id, new FakeSource(data, { chunkSize: 4096 }));
    return node;
  }

  addFolder(n: number | string, childIds: string[], extra: Partial<SourceNode> = {}): SourceNode {
    const id = `${CONNECTION}/d:${n}`;
    const node: SourceNode = {
      id,
      parentId: CONNECTION,
      kind: 'folder',
      name: `folder-${n}`,
      expandable: true,
      downloadable: true,
      ...extra,
    };
    this.nodes.set(id, node);
    this.children.set(id, childIds);
    return node;
  }

  source(id: string): FakeSource {
    const source = this.sources.get(id);
    if (!source) throw new Error(`no source ${id}`);
    return source;
  }

  job = async (id: string): Promise<DownloadJob> => {
    this.jobs += 1;
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    const children = this.children.get(id);
    if (!children) {
      const item = this.source(id).item([node.name], { modifiedAt: node.modifiedAt as number });
      return { name: node.name, kind: 'file', items: list([item]), filesTotal: 1, bytesTotal: node.size ?? null };
    }
    const items: Array<DownloadItem | DownloadFolder> = [{ segments: [node.name] }];
    for (const child of children) {
      const c = this.nodes.get(child) as SourceNode;
      items.push(this.source(child).item([node.name, c.name]));
    }
    return { name: node.name, kind: 'folder', items: list(items) };
  };

  deps(): Pick<DragOutDeps, 'node' | 'isForeign' | 'job' | 'downloaded'> {
    return {
      node: (id) => this.nodes.get(id),
      isForeign: (id) => !id.startsWith('conn:c1/'),
      job: this.job,
      downloaded: (id) => this.downloads.get(id) ?? null,
    };
  }
}

async function* list<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export interface Harness {
  world: FakeWorld;
  cache: StagingCache;
  service: DragOut;
  root: string;
  emitted: DragState[];
  /** The last state emitted for a node. */
  last(id: string): DragState | undefined;
  /** Waits until the node's last emitted state is `s`. */
  until(id: string, s: DragState['state']): Promise<void>;
  cleanup(): Promise<void>;
}

export async function harness(
  options: Partial<DragOutDeps> & { maxBytes?: number; maxAgeMs?: number; now?: () => number } = {},
): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'poweron-drag-'));
  const world = new FakeWorld();
  const emitted: DragState[] = [];
  let service: DragOut | null = null;
  const cache = new StagingCache({
    root: join(root, 'cache'),
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    maxAgeMs: options.maxAgeMs ?? 3_600_000,
    ...(options.now ? { now: options.now } : {}),
    onEvict: (key) => service?.evicted(key),
  });
  await cache.init();
  service = new DragOut({
    cache,
    ...world.deps(),
    emit: (states) => emitted.push(...states),
    writer: { maxAttempts: 2, retryDelayMs: () => 1 },
    ...options,
  });
  const last = (id: string) => emitted.filter((s) => s.nodeId === id).at(-1);
  const s = service;
  return {
    world,
    cache,
    service: s,
    root,
    emitted,
    last,
    async until(id, wanted) {
      const deadline = Date.now() + 5000;
      while (last(id)?.state !== wanted) {
        if (Date.now() > deadline) throw new Error(`${id} never became ${wanted} (last: ${JSON.stringify(last(id))})`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async cleanup() {
      await s.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every file below a folder with its size (what is really on disk). */
export function filesOnDisk(dir: string): Array<{ path: string; size: number }> {
  const out: Array<{ path: string; size: number }> = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const full = join(dir, name);
    const info = statSync(full);
    if (info.isDirectory()) out.push(...filesOnDisk(full));
    else out.push({ path: full, size: info.size });
  }
  return out;
}
