/**
 * The engine's own shapes (not crossing IPC): the remote snapshot, the manifest, the local index
 * and the plan. Paths are relative to the pair's folder, segments joined with `/`.
 */
import type { DownloadItem } from '../localfs/types';
import type { RemoteEntry } from '../sources/types';

/** One entry of the remote snapshot: what the adapters' subtree lists (main/sources/types.ts). */
export type { RemoteEntry };

export interface RemoteSnapshot {
  entries: Map<string, RemoteEntry>;
}

/** One line of the manifest: what the engine last wrote, and which remote version that was. */
export interface ManifestEntry {
  id: string;
  type: 'dir' | 'file';
  path: string;
  /** Local size and mtime (ms) right after the engine wrote or adopted the file. */
  size: number;
  mtime: number;
  /** The remote version reconciled: size, modification time (ms), hash. */
  rsize: number;
  rtime: number | null;
  rhash?: string | null;
}

export interface LocalEntry {
  /** As on disk. */
  path: string;
  type: 'dir' | 'file';
  size: number;
  mtime: number;
  /** Content hash, set for files that may be a generated entry (content-hash.ts). */
  hash?: string;
}

/** The local tree, looked up the way the file system compares names. */
export interface LocalIndex {
  get(path: string): LocalEntry | undefined;
}

export type Fold = (segment: string) => string;

export type Action =
  | { kind: 'mkdir'; id: string; path: string }
  | { kind: 'moveDir'; id: string; from: string; to: string }
  | { kind: 'move'; id: string; from: string; to: string }
  | { kind: 'download'; id: string; path: string; reason: 'new' | 'restore' }
  | { kind: 'update'; id: string; path: string }
  | { kind: 'conflict'; id: string; path: string; to: string; tracked: boolean }
  | { kind: 'adopt'; id: string; path: string }
  | { kind: 'trash'; id: string; path: string }
  | { kind: 'forget'; id: string; path: string; kept: boolean }
  | { kind: 'rmdir'; id: string; path: string };

export interface Plan {
  actions: Action[];
  /** Manifest paths after the planned directory moves (the executor rewrites them). */
  movedPaths: Map<string, string>;
}

/** Turns a remote file into something the transfer writer can fetch or write. */
export type ItemFor = (entry: RemoteEntry) => DownloadItem;
