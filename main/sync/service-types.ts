/** The shapes of QuickSync (service.ts): what it is built with, what creates a pair, each pair's runtime state. */
import type { AppError } from '../../shared/model/errors';
import type { Notice, Settings } from '../../shared/model/settings';
import type { SourceNode } from '../../shared/model/sources';
import type { SyncLayout, SyncPairStatus, SyncProgress, SyncRunResult, SyncState } from '../../shared/model/sync';
import type { Sources } from '../sources/service';
import type { HeldRecord } from './guard';
import type { ScheduleTimer } from './schedule';

export interface SyncDeps {
  /** `<data>/sync`: pairs.json and one folder per pair (manifest, remote state, last run). */
  dataDir: string;
  connections: {
    get(id: string): { label: string };
  };
  lookupNode: (nodeId: string) => SourceNode | undefined;
  /** The remote side of a pair: the sources' adapters (their subtree of the pair's node, the same context as browsing). */
  sources: Pick<Sources, 'subtree'>;
  settings: () => Settings;
  downloadsDir: () => string;
  platform: string;
  /** The OS trash (Electron's shell.trashItem); without it, a `.trash` folder inside the pair. */
  trashItem?: ((path: string) => Promise<void>) | undefined;
  openPath: (path: string) => Promise<void>;
  chooseDirectory?: (() => Promise<string | null>) | undefined;
  onChange: (statuses: SyncPairStatus[]) => void;
  log: (line: string) => void;
  /** A notice for the user (a damaged pairs.json was set aside): shown in the app in its language. */
  notice?: ((n: Notice) => void) | undefined;
  now?: () => number;
  /** Files downloaded at once per run. Default 6. */
  concurrency?: number;
  /** The schedule's timer (tests pass a fake one). */
  timer?: ScheduleTimer;
}

export interface CreatePairInput {
  nodeId: string;
  layout?: SyncLayout | undefined;
  ignoreLocalDeletes?: boolean | undefined;
  /** Ask for the folder in main's dialog (Electron); otherwise the default folder. */
  chooseFolder?: boolean | undefined;
}

export interface Runtime {
  state: SyncState;
  progress: SyncProgress | null;
  lastRun: SyncRunResult | null;
  error: AppError | null;
  controller: AbortController | null;
  running: Promise<SyncRunResult> | null;
  /** An error nothing caught in this run's work (main/last-resort.ts): the run ends failed with it. */
  fault?: Error | null;
  /** The question of a held run (guard.ts), until answered. */
  held: HeldRecord | null;
}
