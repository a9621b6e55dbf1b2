/**
 * The rules for a new pair (pairs.ts, create-pair.ts): never a vault; never a node already in a
 * pair — the same node, one inside another pair's folder, or one holding another pair's folder —
 * for kDrive (by drive and path) and mail (by mailbox and folder names); mail folders and mailboxes
 * become Maildir pairs; a new pair waits for its Start.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceNode } from '../../shared/model/sources';
import type { SyncPair } from '../../shared/model/sync';
import { newPair } from './create-pair';
import { assertNotInPair, nodeFacts, nodeInfo, remoteLocation } from './pairs';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const DRIVE = 'conn:c/kdrive/drive:7';
function folder(id: number, path: string, patch: Partial<SourceNode> = {}): SourceNode {
  return {
    id: `${DRIVE}/f:${id}`,
    parentId: DRIVE,
    kind: 'folder',
    service: 'kdrive',
    name: path.split('/').at(-1)!,
    expandable: true,
    downloadable: true,
    details: { path, drive: 'Muster AG' },
    ...patch,
  };
}

const MBX = 'conn:c/mail/mbx:u-1';
const mailNodes: SourceNode[] = [
  {
    id: MBX,
    parentId: 'conn:c/mail',
    kind: 'mailbox',
    service: 'mail',
    name: 'me@ik.me',
    expandable: true,
    downloadable: true,
  },
  {
    id: `${MBX}/fld:in`,
    parentId: MBX,
    kind: 'mailfolder',
    service: 'mail',
    name: 'INBOX',
    expandable: true,
    downloadable: true,
  },
  {
    id: `${MBX}/fld:sub`,
    parentId: `${MBX}/fld:in`,
    kind: 'mailfolder',
    service: 'mail',
    name: 'Projects',
    expandable: true,
    downloadable: true,
  },
  {
    id: `${MBX}/fld:sent`,
    parentId: MBX,
    kind: 'mailfolder',
    service: 'mail',
    name: 'Sent',
    expandable: true,
    downloadable: true,
  },
];

const nodes = new Map<string, SourceNode>(
  [
    {
      id: DRIVE,
      parentId: 'conn:c/kdrive',
      kind: 'drive',
      service: 'kdrive',
      name: 'Muster AG',
      expandable: true,
      downloadable: true,
    } as SourceNode,
    folder(10, '/Projects'),
    folder(11, '/Projects/2026'),
    folder(12, '/Projects 2'),
    folder(13, '/Tresor', {
      expandable: false,
      downloadable: false,
      state: { kind: 'locked', reason: 'This is a secure vault: open it in kDrive.' },
    }),
    folder(14, '/Edited', { state: { kind: 'locked', reason: 'This file is locked (being edited elsewhere).' } }),
    ...mailNodes,
  ].map((n) => [n.id, n]),
);
const lookup = (id: string) => nodes.get(id);

function pairOf(nodeId: string, name: string, connectionId = 'c'): SyncPair {
  const remote = remoteLocation(nodeId, nodeInfo(lookup(nodeId), lookup));
  return {
    id: name,
    connectionId,
    nodeId,
    kind: 'kdrive',
    layout: 'tree',
    name,
    localPath: `/home/me/${name}`,
    ignoreLocalDeletes: false,
    paused: false,
    createdAt: 0,
    ...(remote ? { remote } : {}),
  };
}

function check(nodeId: string, pairs: SyncPair[]): void {
  assertNotInPair(nodeId, 'c', remoteLocation(nodeId, nodeInfo(lookup(nodeId), lookup)), pairs, () => null);
}

describe('which nodes can be a pair', () => {
  it('a kDrive vault is refused, saying so; a folder locked for editing is not a vault', () => {
    expect(() => nodeFacts(`${DRIVE}/f:13`, nodeInfo(lookup(`${DRIVE}/f:13`), lookup))).toThrow(
      /"Tresor" is a secure vault: it cannot be kept in sync/,
    );
    expect(nodeFacts(`${DRIVE}/f:14`, nodeInfo(lookup(`${DRIVE}/f:14`), lookup)).kind).toBe('kdrive');
  });

  it('a mail folder or a mailbox becomes a Maildir pair under Mail/<mailbox>/<folders>', () => {
    expect(nodeFacts(`${MBX}/fld:sub`, nodeInfo(lookup(`${MBX}/fld:sub`), lookup))).toEqual({
      kind: 'mail',
      defaultPath: ['Mail', 'me@ik.me', 'INBOX', 'Projects'],
      layouts: ['maildir'],
    });
    expect(nodeFacts(MBX, nodeInfo(lookup(MBX), lookup))).toMatchObject({
      kind: 'mail',
      defaultPath: ['Mail', 'me@ik.me'],
    });
    expect(() => nodeFacts(`${MBX}/fld:in/msg:x`, undefined)).toThrow(/can be kept in sync/);
  });
});

describe('a node already in a pair is refused', () => {
  const projects = pairOf(`${DRIVE}/f:10`, 'Projects');

  it('the same folder, a folder inside it, the drive holding it', () => {
    expect(() => check(`${DRIVE}/f:10`, [projects])).toThrow(
      /already kept in sync by the pair "Projects" \(\/home\/me\/Projects\)/,
    );
    expect(() => check(`${DRIVE}/f:11`, [projects])).toThrow(/lies inside "Projects", which is already kept in sync/);
    expect(() => check(DRIVE, [projects])).toThrow(/holds "Projects", which is already kept in sync/);
  });

  it('a sibling whose name starts the same, another drive or another connection are fine', () => {
    expect(() => check(`${DRIVE}/f:12`, [projects])).not.toThrow();
    expect(() => check('conn:c/kdrive/drive:8', [projects])).not.toThrow();
    expect(() => check(`${DRIVE}/f:11`, [pairOf(`${DRIVE}/f:10`, 'Other', 'c2')])).not.toThrow();
  });

  it('a pair made before locations were kept is located from the tree (or compared by node)', () => {
    const { remote: _none, ...old } = projects;
    const locate = (p: SyncPair) => remoteLocation(p.nodeId, nodeInfo(lookup(p.nodeId), lookup));
    const where = remoteLocation(`${DRIVE}/f:11`, nodeInfo(lookup(`${DRIVE}/f:11`), lookup));
    expect(() => assertNotInPair(`${DRIVE}/f:11`, 'c', where, [old], locate)).toThrow(/lies inside "Projects"/);
    expect(() => assertNotInPair(`${DRIVE}/f:10`, 'c', null, [old], () => null)).toThrow(/already kept in sync/);
  });

  it('mail: a folder inside a synced mailbox or folder, a mailbox holding a synced folder', () => {
    const inbox = pairOf(`${MBX}/fld:in`, 'INBOX');
    expect(() => check(`${MBX}/fld:sub`, [inbox])).toThrow(/lies inside "INBOX"/);
    expect(() => check(MBX, [inbox])).toThrow(/holds "INBOX"/);
    expect(() => check(`${MBX}/fld:sent`, [inbox])).not.toThrow();
  });
});

describe('newPair', () => {
  let root = '';
  async function create(nodeId: string, pairs: SyncPair[] = []) {
    root = await mkdtemp(join(tmpdir(), 'sync-pairs-'));
    dirs.push(root);
    return newPair(
      { nodeId },
      { pairs, connectionLabel: () => 'Lea', lookupNode: lookup, downloadsDir: root, fold: (s) => s, now: 5 },
    );
  }

  it('waits for its Start and keeps where its node lies; a Maildir pair keeps what a mail program deletes', async () => {
    const pair = await create(`${DRIVE}/f:11`);
    expect(pair).toMatchObject({
      pending: true,
      kind: 'kdrive',
      ignoreLocalDeletes: false,
      remote: { scope: 'kdrive:7', path: ['Projects', '2026'] },
    });
    expect(pair.localPath).toMatch(/PowerOn Sources[\\/]Lea[\\/]kDrive[\\/]Muster AG[\\/]Projects[\\/]2026$/);
    const mail = await create(`${MBX}/fld:sub`);
    expect(mail).toMatchObject({ kind: 'mail', layout: 'maildir', ignoreLocalDeletes: true });
    expect(mail.localPath).toMatch(/Mail[\\/]me@ik\.me[\\/]INBOX[\\/]Projects$/);
  });

  it('refuses before making any folder', async () => {
    await expect(create(`${DRIVE}/f:13`)).rejects.toThrow(/secure vault/);
    expect(await readdir(root)).toEqual([]);
    await expect(create(`${DRIVE}/f:11`, [pairOf(`${DRIVE}/f:10`, 'Projects')])).rejects.toMatchObject({
      code: 'validation',
    });
    expect(await readdir(root)).toEqual([]);
  });
});
