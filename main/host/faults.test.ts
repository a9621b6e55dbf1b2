/**
 * Abuse suite, faults inside the process (issue 25.1): a real browser host process in which a
 * background job throws asynchronously, as yauzl's fd-slicer did ("Cannot read properties of null
 * (reading 'fd')" in a read's callback, the read never completing). The last-resort policy
 * (main/last-resort.ts) must log it once, fail the job it belongs to, and keep serving.
 *
 * The fault is planted by a small module the test writes and loads with `node --import` (test code
 * only, nothing in the app): the first time the host opens a file in its download folder (the
 * download's part file), the open never completes and a callback of it throws.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { SourceNode, SourcePage } from '../../shared/model/sources';
import type { Transfer } from '../../shared/model/transfers';
import { authorisedSocket, callOver, startHostProcess } from './test-support';
import type { HostProcess } from './test-support';

const FAULT_MODULE = `
import { createRequire, syncBuiltinESMExports } from 'node:module';
const fsp = createRequire(import.meta.url)('node:fs/promises');
const dir = process.env.POWERON_TEST_FAULT_DIR;
let armed = true;
const open = fsp.open;
fsp.open = function (path, ...rest) {
  if (!armed || !String(path).startsWith(dir)) return open.call(this, path, ...rest);
  armed = false;
  // Like yauzl's fd-slicer in issue 25.1: a callback of the I/O finds its state gone and throws,
  // and the I/O never completes.
  setImmediate(() => {
    const context = null;
    return context.fd;
  });
  return new Promise(() => {});
};
syncBuiltinESMExports();
`;

let host: HostProcess;
let ws: WebSocket;
let nextId = 1;
const call = <T>(channel: string, arg?: unknown) =>
  callOver(ws, nextId++, channel, arg).then((frame) => {
    const { result } = frame as { result: { ok: boolean; value?: T; error?: unknown } };
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
    return result.value as T;
  });

/** A folder's children through the contract (pages arrive as events for the listing). */
async function children(nodeId: string): Promise<SourceNode[]> {
  const pages: SourcePage[] = [];
  let wake = () => {};
  const onMessage = (m: WebSocket.RawData) => {
    const frame = JSON.parse(m.toString()) as { t: string; event?: string; payload?: SourcePage };
    if (frame.t === 'event' && frame.event === 'sources:page') {
      pages.push(frame.payload!);
      wake();
    }
  };
  ws.on('message', onMessage);
  try {
    const { listingId } = await call<{ listingId: string }>('sources:list', { nodeId });
    const mine = () => pages.filter((p) => p.listingId === listingId);
    while (!mine().some((p) => p.done)) await new Promise<void>((r) => (wake = r));
    return mine().flatMap((p) => p.nodes);
  } finally {
    ws.off('message', onMessage);
  }
}

/** Asks `check` again on every `event` until it gives a value; fails if the socket closes. */
async function untilEvent<T>(event: string, check: () => Promise<T | null>): Promise<T> {
  let wake = () => {};
  let fail = (_error: Error) => {};
  const onMessage = (m: WebSocket.RawData) => {
    if ((JSON.parse(m.toString()) as { event?: string }).event === event) wake();
  };
  const onClose = () => fail(new Error(`the host closed the socket:\n${host.output()}`));
  ws.on('message', onMessage);
  ws.on('close', onClose);
  try {
    for (;;) {
      const changed = new Promise<void>((resolve, reject) => {
        wake = resolve;
        fail = reject;
      });
      const value = await check();
      if (value !== null) return value;
      await changed;
    }
  } finally {
    ws.off('message', onMessage);
    ws.off('close', onClose);
  }
}

/** The first transfer once `done(transfer)` holds (checked on every `transfers:changed`). */
const transferWhen = (done: (t: Transfer) => boolean) =>
  untilEvent('transfers:changed', async () => {
    const [transfer] = await call<Transfer[]>('transfers:list');
    return transfer && done(transfer) ? transfer : null;
  });

/** Resolves once the demo connection is there (it is added after the host prints its URL). */
const demoConnected = () =>
  untilEvent('connections:changed', async () => ((await call<unknown[]>('connections:list')).length > 0 ? true : null));

async function nodeAt(names: string[]): Promise<SourceNode> {
  let level = await call<SourceNode[]>('sources:roots');
  let node: SourceNode | undefined;
  for (const [i, name] of names.entries()) {
    node = level.find((n) => n.name === name);
    if (!node) throw new Error(`no "${name}" among ${level.map((n) => n.name).join(', ')}`);
    if (i < names.length - 1) level = await children(node.id);
  }
  return node!;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'host-fault-'));
  const faultModule = join(dir, 'fault.mjs');
  writeFileSync(faultModule, FAULT_MODULE);
  const downloadsDir = join(dir, 'downloads');
  host = await startHostProcess({
    nodeArgs: ['--import', pathToFileURL(faultModule).href],
    env: { POWERON_TEST_FAULT_DIR: downloadsDir },
    downloadsDir,
  });
  ws = await authorisedSocket(host);
}, 40_000);

afterAll(() => {
  ws?.close();
  host?.child.kill('SIGKILL');
});

describe('faults: a background job that throws asynchronously', () => {
  it('is logged once and fails its job; the host keeps serving a good page', async () => {
    await demoConnected();
    const image = await nodeAt([
      'Lea Brunner (Demo)',
      'kDrive',
      'Lea privat',
      'Private',
      'Fotos',
      'Ferien Engadin 2025',
      'IMG_2300.png',
    ]);
    await call('transfers:download', { nodeIds: [image.id] });

    const transfer = await transferWhen((t) => t.state === 'failed' || t.state === 'done');
    expect(host.child.exitCode, host.output()).toBeNull();
    expect(host.child.signalCode).toBeNull();
    // The job in hand failed (it would never have ended: its read never completes).
    expect(transfer).toMatchObject({ state: 'failed', error: { code: 'internal' } });

    // Logged once, with what was thrown and the job it was laid on.
    const faults = host
      .log()
      .split('\n')
      .filter((l) => l.includes('last resort:'));
    expect(faults).toHaveLength(1);
    expect(faults[0]).toContain("TypeError: Cannot read properties of null (reading 'fd')");
    expect(faults[0]).toContain(`transfer ${transfer.id}`);

    // Still serving: a contract call, a fresh page, and a second download that succeeds.
    expect(await call('settings:get')).toBeTruthy();
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
    const other = await authorisedSocket(host);
    expect(await callOver(other, 1, 'app:info')).toMatchObject({ t: 'result', result: { ok: true } });
    other.close();
    await call('transfers:retry', { id: transfer.id });
    const again = await transferWhen(
      (t) => t.state === 'done' || (t.state === 'failed' && t.finishedAt !== transfer.finishedAt),
    );
    expect(again.state).toBe('done');
  }, 60_000);
});
