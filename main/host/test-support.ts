/** Test helpers for whole-app tests in the browser host's shape (no server, no Electron). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceNode, SourcePage } from '../../shared/model/sources';
import { createApp } from '../app';
import type { App } from '../app';
import { createHostPlatform, parseHostArgs } from './platform';

export const ctx = { senderUrl: 'http://127.0.0.1', transport: 'websocket' as const };

/** The app as the browser host builds it, with a data folder in `dir` and these endpoints. */
export function hostApp(dir: string, env: Record<string, string>): Promise<App> {
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  const args = parseHostArgs(
    ['--data-dir', join(dir, 'data'), '--renderer-dir', rendererDir, '--downloads-dir', join(dir, 'dl'), '--quiet'],
    {},
  );
  return createApp({ ...createHostPlatform(args), env }, { isTrustedSender: () => true });
}

/** Lists a node's children through the contract and waits for the last page (pages may come before the answer). */
export async function children(app: App, nodeId: string): Promise<SourceNode[]> {
  const pages: SourcePage[] = [];
  let wake = () => {};
  const off = app.bus.subscribe((event, payload) => {
    if (event !== 'sources:page') return;
    pages.push(payload as SourcePage);
    wake();
  });
  try {
    const { listingId } = await app.handlers['sources:list']({ nodeId }, ctx);
    const mine = () => pages.filter((p) => p.listingId === listingId);
    while (!mine().some((p) => p.done)) await new Promise<void>((r) => (wake = r));
    return mine().flatMap((p) => p.nodes);
  } finally {
    off();
  }
}

/** Opens a path of names from the roots down; the last node. */
export async function nodeAt(app: App, names: string[]): Promise<SourceNode> {
  let level = await app.handlers['sources:roots'](undefined, ctx);
  let node: SourceNode | undefined;
  for (const [i, name] of names.entries()) {
    node = level.find((n) => n.name === name);
    if (!node) throw new Error(`no "${name}" among ${level.map((n) => n.name).join(', ')}`);
    if (i < names.length - 1) level = await children(app, node.id);
  }
  return node!;
}
