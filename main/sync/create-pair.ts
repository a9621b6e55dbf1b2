/**
 * A new pair, by the rules of pairs.ts: a node that can be synced (never a vault), not already in
 * a pair (the same node, a folder above or inside it), its layout, its folder (the default one or
 * the one chosen in main's dialog), which overlaps no other pair's. The pair waits for its Start.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { failWith } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { SyncPair } from '../../shared/model/sync';
import { parseId } from '../sources/ids';
import type { CreatePairInput } from './service-types';
import type { Fold } from './types';
import { assertNoOverlap, assertNotInPair, defaultFolder, nodeFacts, nodeInfo, remoteLocation } from './pairs';

export interface CreatePairContext {
  pairs: SyncPair[];
  connectionLabel: (connectionId: string) => string;
  lookupNode: (nodeId: string) => SourceNode | undefined;
  downloadsDir: string;
  chooseDirectory?: (() => Promise<string | null>) | undefined;
  fold: Fold;
  now: number;
}

/** The pair to store (its folder is made); throws a `validation` error naming the rule it breaks. */
export async function newPair(input: CreatePairInput, ctx: CreatePairContext): Promise<SyncPair> {
  const parsed = parseId(input.nodeId);
  if (!parsed) throw failWith('not_found', 'node_unknown', 'This item is not known.');
  const label = ctx.connectionLabel(parsed.connectionId);
  const node = ctx.lookupNode(input.nodeId);
  const info = nodeInfo(node, ctx.lookupNode);
  const facts = nodeFacts(input.nodeId, info);
  const remote = remoteLocation(input.nodeId, info);
  const locate = (p: SyncPair) => remoteLocation(p.nodeId, nodeInfo(ctx.lookupNode(p.nodeId), ctx.lookupNode));
  assertNotInPair(input.nodeId, parsed.connectionId, remote, ctx.pairs, locate);
  const layout = input.layout ?? facts.layouts[0]!;
  if (!facts.layouts.includes(layout)) {
    throw failWith('validation', 'layout', `This item can be kept as: ${facts.layouts.join(', ')}.`, {
      list: facts.layouts,
    });
  }
  let folder = defaultFolder(ctx.downloadsDir, label, facts.defaultPath);
  if (input.chooseFolder && ctx.chooseDirectory) {
    const chosen = await ctx.chooseDirectory();
    if (!chosen) throw failWith('cancelled', 'no_folder_chosen', 'No folder was chosen.');
    folder = chosen;
  }
  assertNoOverlap(folder, ctx.pairs, ctx.fold);
  await mkdir(folder, { recursive: true });
  // A folder chosen as (or below) a link is kept as the real folder it is now: a pair's folder
  // that becomes a link later is refused (engine.ts checkFolder).
  folder = await realpath(folder);
  assertNoOverlap(folder, ctx.pairs, ctx.fold);
  return {
    id: randomUUID(),
    connectionId: parsed.connectionId,
    nodeId: input.nodeId,
    kind: facts.kind,
    layout,
    name: node?.name ?? facts.defaultPath.at(-1) ?? input.nodeId,
    localPath: folder,
    // A mail program moves and renames Maildir files (read, flagged): they must not come back.
    ignoreLocalDeletes: input.ignoreLocalDeletes ?? facts.kind === 'mail',
    paused: false,
    createdAt: ctx.now,
    pending: true,
    ...(remote ? { remote } : {}),
  };
}
