/**
 * Issue 25.1: the client's request queue counts each request to the job that queued it, so a fault
 * nothing caught inside a request's work fails that job (main/last-resort.ts), never the job whose
 * request happened to finish just before (a plain p-queue starts the next task in the context of
 * the task that finished).
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAsJob } from '../jobs';
import { installLastResort, type FaultProcess } from '../last-resort';
import { Transport } from './transport';

let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("a fault inside a queued request's work fails the job that queued it", async () => {
  const proc = new EventEmitter();
  const uninstall = installLastResort(proc as unknown as FaultProcess, { log: () => undefined });
  const failed: string[] = [];
  let releaseFirst = () => {};
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  // The proxy resolver (Electron's, for https origins) runs inside each request's queued work, once
  // per origin: the first one waits; the second one meets an error nothing catches, as a library
  // callback might.
  const transport = new Transport({
    maxConcurrent: 1,
    proxy: {
      env: {},
      resolve: async (url) => {
        if (url.includes('127.0.0.1')) await firstHeld;
        else proc.emit('uncaughtException', new TypeError("Cannot read properties of null (reading 'fd')"));
        return 'DIRECT';
      },
    },
  });
  try {
    const first = runAsJob({ label: 'transfer A', fail: () => failed.push('A') }, () =>
      transport.fetch(`https://127.0.0.1:${port}/a`),
    );
    const second = runAsJob({ label: 'transfer B', fail: () => failed.push('B') }, () =>
      transport.fetch(`https://localhost:${port}/b`),
    );
    releaseFirst();
    // The server speaks plain http, so both fail once sent: only where the fault lands matters here.
    await Promise.allSettled([first, second]);
    expect(failed).toEqual(['B']);
  } finally {
    uninstall();
    await transport.close();
  }
});
