/**
 * Test helpers for whole-app tests in the browser host's shape (no server, no Electron), and for
 * the abuse suites that start a real host process.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { SourceNode, SourcePage } from '../../shared/model/sources';
import { createApp } from '../app';
import type { App } from '../app';
import { HOST_BUNDLE_ENV } from '../../scripts/host-bundle';
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

// ---------------------------------------------------------------------------------------------
// A real browser host process (`main/host/cli.ts --demo`, with the embedded demo simulator in the
// same process), for the abuse suites: hostile peers are replayed against it with raw sockets.

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface HostProcess {
  child: ChildProcess;
  port: number;
  origin: string;
  secret: string;
  simApiPort: number;
  logFile: string;
  /** Everything the process wrote on stdout and stderr. */
  output: () => string;
  /** The host's log file (`--log-file`). */
  log: () => string;
}

export interface HostProcessOptions {
  /** Node options before the script, e.g. `--import <module>` (a test's fault injector). */
  nodeArgs?: string[];
  /** Extra environment for the process. */
  env?: Record<string, string>;
  /** The download folder (default: a fresh one beside the data folder). */
  downloadsDir?: string;
}

/**
 * How to run the host's command line: the bundle Vitest's global set-up made (scripts/vitest-setup.ts),
 * or, without it (a test run outside Vitest), the sources through tsx.
 */
export function hostEntry(): string[] {
  const bundle = process.env[HOST_BUNDLE_ENV];
  return bundle ? [bundle] : ['--import', 'tsx', join(projectRoot, 'main/host/cli.ts')];
}

export async function startHostProcess(options: HostProcessOptions = {}): Promise<HostProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'host-abuse-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const logFile = join(dir, 'host.log');
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...hostEntry(),
      '--demo',
      '--quiet',
      '--renderer-dir',
      rendererDir,
      '--data-dir',
      join(dir, 'data'),
      '--downloads-dir',
      options.downloadsDir ?? join(dir, 'downloads'),
      '--log-file',
      logFile,
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}`)), 25_000);
    const check = () => {
      const match = /host: (http:\/\/127\.0\.0\.1:\d+\/#secret=[0-9a-f]+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`host exited (${code}):\n${out}`)));
  });
  const parsed = new URL(url);
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const sim = /demo: simulator on https:\/\/127\.0\.0\.1:(\d+)/.exec(readLog());
  if (!sim?.[1]) throw new Error(`the demo simulator did not start:\n${readLog()}`);
  return {
    child,
    port: Number(parsed.port),
    origin: parsed.origin,
    secret: parsed.hash.replace('#secret=', ''),
    simApiPort: Number(sim[1]),
    logFile,
    output: () => out,
    log: readLog,
  };
}

/** A WebSocket that passed the secret and Origin checks (a good page, or a bad peer with the secret). */
export function authorisedSocket(host: Pick<HostProcess, 'port' | 'secret' | 'origin'>): Promise<WebSocket> {
  return new Promise((resolveWs, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc`, [`poweron.${host.secret}`], {
      origin: host.origin,
    });
    ws.on('open', () => resolveWs(ws));
    ws.on('error', reject);
  });
}

/** One contract call over `ws`: the result frame with this id (other frames, e.g. events, are skipped). */
export function callOver(ws: WebSocket, id: number, channel: string, arg?: unknown): Promise<unknown> {
  return new Promise((resolveAnswer, reject) => {
    const onClose = () => reject(new Error(`the socket closed before the answer to ${channel}`));
    const onMessage = (m: WebSocket.RawData) => {
      const frame = JSON.parse(m.toString()) as { t?: string; id?: number };
      if (frame.t !== 'result' || frame.id !== id) return;
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolveAnswer(frame);
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ t: 'call', id, channel, ...(arg === undefined ? {} : { arg }) }));
  });
}

/** Resident memory of a process in MiB (Linux /proc; elsewhere `ps`). */
export function rssMiB(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  }
  return (
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) / 1024
  );
}
