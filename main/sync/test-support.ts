/**
 * Test support for sync: a simulator scenario of one account with one drive whose common documents
 * hold a `Project` folder; a remote in memory (`FakeRemote`) and a folder as a plain object
 * (`tree`); a run's usual options (`runOptions`) and a kDrive pair's source on the simulator
 * (`feedSourceFor`). Used by *.test.ts only.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioInput } from '../../simulator/index';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { Settings } from '../../shared/model/settings';
import type { Connections } from '../connections/connections';
import type { InfomaniakClient } from '../infomaniak/client';
import type { InfomaniakApi } from '../infomaniak/types';
import { kdriveSubtree } from '../sources/kdrive-subtree';
import type { KdriveTarget } from '../sources/kdrive-subtree';
import { Sources } from '../sources/service';
import { trashInside } from '../localfs/trash';
import type { SourceAdapter, Unread } from '../sources/types';
import type { RunOptions, RunSource } from './engine';
import { KdriveFeedSource } from './feed';
import type { FeedMemory } from './feed';
import { foldFor } from './names';
import type { RemoteEntry } from './types';

/** The clock of most sync tests: noon UTC on 29 November 2026. */
export const TEST_NOW = Date.parse('2026-11-29T12:00:00Z');

/**
 * A pair run's options as most tests want them: Linux name folding, local deletions not ignored,
 * the trash inside the pair's folder, two at a time, the fixed clock; `extra` replaces any of them.
 */
export function runOptions(
  pair: Pick<RunOptions, 'root' | 'stateDir' | 'source'>,
  extra: Partial<RunOptions> = {},
): RunOptions {
  return {
    fold: foldFor('linux'),
    ignoreLocalDeletes: false,
    trash: (path) => trashInside(pair.root, path),
    concurrency: 2,
    signal: new AbortController().signal,
    now: () => TEST_NOW,
    ...pair,
    ...extra,
  };
}

/**
 * A kDrive pair's source as the app builds it (`KdriveFeedSource` over the adapter's subtree) for
 * `target` on a simulator; `feedClient` carries the feeds' own requests when it is not `client`.
 */
export function feedSourceFor(
  client: InfomaniakApi,
  target: KdriveTarget,
  pair: { stateDir: string; memory: FeedMemory; now?: () => number; feedClient?: InfomaniakApi },
): KdriveFeedSource {
  return new KdriveFeedSource({
    subtree: kdriveSubtree(client, target),
    client: pair.feedClient ?? client,
    target,
    stateDir: pair.stateDir,
    memory: pair.memory,
    driveKey: `c:${target.driveId}`,
    now: pair.now ?? Date.now,
  });
}

/**
 * One connection (label "Test") whose client is `client`, and `Sources` over `adapters`: what
 * QuickSync gets in the app, for sync tests against the simulator.
 */
export function sourcesOver(
  client: InfomaniakClient,
  adapters: SourceAdapter[],
  settings: () => Settings = () => DEFAULT_SETTINGS,
): { connections: Connections; sources: Sources } {
  const connections = {
    list: () => [],
    get: () => ({ label: 'Test' }),
    client: async () => client,
    onInvalidated: () => () => undefined,
  } as unknown as Connections;
  const sources = new Sources({
    connections,
    adapters,
    settings,
    language: () => 'en',
    emitPage: () => undefined,
    log: () => undefined,
  });
  return { connections, sources };
}

/** The remote time of FakeRemote's entries (unix ms). */
export const T = 1_700_000_000_000;

export const SYNC_TOKEN = 'sync-token-0123456789';

type Drive = NonNullable<ScenarioInput['drives']>[number];
type Entries = NonNullable<NonNullable<Drive['tree']>['common']>;

/** One account, one drive `driveId` named "Sync", `/Common documents/Project` holding `project`. */
export function projectScenario(name: string, driveId: number, project: Entries): ScenarioInput {
  return {
    name,
    tokens: [{ value: SYNC_TOKEN, scopes: ['accounts', 'drive'] }],
    accounts: [{ id: 88, name: 'Sync AG', type: 'owner', legal_entity_type: 'company' }],
    drives: [{ id: driveId, name: 'Sync', account_id: 88, tree: { common: [{ name: 'Project', children: project }] } }],
  };
}

type Mailbox = NonNullable<NonNullable<ScenarioInput['mail']>['mailboxes']>[number];
export type MailFolderInput = NonNullable<Mailbox['folders']>[number];

/** Mail open for `SYNC_TOKEN`: one mailbox `me@sync.example` with these folders. */
export function mailScenario(name: string, folders: MailFolderInput[]): ScenarioInput {
  return {
    name,
    tokens: [{ value: SYNC_TOKEN, scopes: ['accounts', 'workspace:mail'] }],
    accounts: [{ id: 88, name: 'Sync AG', type: 'owner', legal_entity_type: 'company' }],
    mail: { mode: 'open', mailboxes: [{ email: 'me@sync.example', is_primary: true, folders }] },
  };
}

/** `count` plain messages `Message 1`…, a day apart, read (seen) unless said otherwise. */
export function mailMessages(count: number, seen = true): NonNullable<MailFolderInput['messages']> {
  return Array.from({ length: count }, (_, i) => ({
    subject: `Message ${i + 1}`,
    from: { name: 'Anna Muster', email: 'anna@sync.example' },
    to: [{ email: 'me@sync.example' }],
    date: `-${i + 1}d`,
    body: `Body of message ${i + 1}.`,
    seen,
  }));
}

/** A remote drive in memory: entries plus contents; counts what was downloaded. */
export class FakeRemote implements RunSource {
  entries = new Map<string, RemoteEntry>();
  contents = new Map<string, string>();
  downloads: string[] = [];
  failListing = false;
  /** Records of the listing that "could not be read" (what a decoder reports), carried by the next list(). */
  unread: Unread | null = null;
  /** Abort this controller after that many downloads (a kill mid-run). */
  killAfter: { n: number; controller: AbortController } | null = null;

  put(id: string, name: string, parent: string | null, content?: string, mtime = T): void {
    if (content === undefined) {
      this.entries.set(id, { id, parent, name, type: 'dir', size: 0, mtime });
      return;
    }
    this.entries.set(id, { id, parent, name, type: 'file', size: Buffer.byteLength(content), mtime });
    this.contents.set(id, content);
  }

  list = async () => {
    if (this.failListing) throw Object.assign(new Error('listing failed'), { code: 'ECONNRESET' });
    const listing: Map<string, RemoteEntry> & { unread?: Unread } = new Map(
      [...this.entries].map(([k, v]) => [k, { ...v }]),
    );
    if (this.unread) listing.unread = this.unread;
    return listing;
  };

  itemFor = (e: RemoteEntry) => ({
    segments: [e.name],
    size: e.size,
    modifiedAt: e.mtime ?? undefined,
    content: async () => {
      this.downloads.push(e.id);
      if (this.killAfter && this.downloads.length >= this.killAfter.n) this.killAfter.controller.abort();
      return new TextEncoder().encode(this.contents.get(e.id)!);
    },
  });
}

/** The files and folders below `base` (folders as `name/`), with the files' text. */
export async function tree(base: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(base, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        out[`${path}/`] = '';
        await walk(path);
      } else out[path] = await readFile(join(base, path), 'utf8');
    }
  };
  await walk('');
  return out;
}
