/**
 * Backpressure of one host peer (issue 25.8), with a socket whose unread bytes the test sets: calls
 * wait (and the socket is not read) while too much is unread, go on below the resume mark, and the
 * peer is dropped past the hard bound. The real-socket case is in abuse.test.ts (case 12).
 */
import { describe, expect, it } from 'vitest';
import { PeerFlow } from './peer-flow';
import type { FlowLimits, FlowSocket } from './peer-flow';

const turn = () => new Promise((resolve) => setImmediate(resolve));

const LIMITS: FlowLimits = {
  maxInFlight: 2,
  pauseAtBytes: 1000,
  resumeAtBytes: 200,
  dropAtBytes: 5000,
  maxQueuedBytes: 300,
};

function fakeSocket() {
  const socket = {
    OPEN: 1 as const,
    readyState: 1 as 0 | 1 | 2 | 3,
    bufferedAmount: 0,
    paused: false,
    terminated: false,
    pause() {
      socket.paused = true;
    },
    resume() {
      socket.paused = false;
    },
    terminate() {
      socket.terminated = true;
      socket.readyState = 3;
    },
  };
  return socket;
}

/** A flow whose answers the test finishes by hand. */
function flowOn(socket: ReturnType<typeof fakeSocket>) {
  const answering: Array<{ call: number; done: () => void }> = [];
  const lines: string[] = [];
  const flow = new PeerFlow<number>(
    socket as unknown as FlowSocket,
    (call) => new Promise<void>((resolve) => answering.push({ call, done: resolve })),
    { limits: LIMITS, log: (line) => lines.push(line) },
  );
  /** Finishes the oldest answer; the flow answers the next one on a later turn of the event loop. */
  const finishOne = async () => {
    answering.shift()!.done();
    await turn();
    await turn();
  };
  return { flow, answering, lines, finishOne };
}

describe('PeerFlow', () => {
  it('answers at most maxInFlight calls at once; the rest wait, with the socket paused', async () => {
    const socket = fakeSocket();
    const { flow, answering, finishOne } = flowOn(socket);
    for (const call of [1, 2, 3, 4]) flow.received(call, 10);
    expect(answering.map((a) => a.call)).toEqual([1, 2]);
    expect(socket.paused).toBe(true);
    await finishOne();
    expect(answering.map((a) => a.call)).toEqual([2, 3]);
    await finishOne();
    expect(answering.map((a) => a.call)).toEqual([3, 4]);
    expect(socket.paused).toBe(false);
  });

  it('while more than pauseAtBytes are unread, no call is answered and the socket is not read; below resumeAtBytes both go on', async () => {
    const socket = fakeSocket();
    const { flow, answering, lines } = flowOn(socket);
    socket.bufferedAmount = 1500;
    flow.sent();
    flow.received(1, 10);
    expect(answering).toEqual([]);
    expect(socket.paused).toBe(true);
    expect(lines).toEqual(['host: a WebSocket peer does not read its answers; its calls wait']);
    socket.bufferedAmount = 600; // between the marks: still waiting (no flapping)
    flow.pump();
    expect(answering).toEqual([]);
    socket.bufferedAmount = 100;
    flow.pump();
    expect(answering.map((a) => a.call)).toEqual([1]);
    expect(socket.paused).toBe(false);
    expect(socket.terminated).toBe(false);
  });

  it('drops the peer once more than dropAtBytes wait to go out, and says so once', () => {
    const socket = fakeSocket();
    const { flow, lines } = flowOn(socket);
    socket.bufferedAmount = 4000;
    flow.sent();
    expect(socket.terminated).toBe(false);
    socket.bufferedAmount = 6000;
    flow.sent();
    flow.sent();
    expect(socket.terminated).toBe(true);
    expect(lines.filter((l) => l.startsWith('host: dropped'))).toEqual([
      'host: dropped a WebSocket peer that does not read (0.0 MiB waiting to be sent)',
    ]);
  });

  it('drops the peer when the calls read but not answered pass maxQueuedBytes', () => {
    const socket = fakeSocket();
    const { flow, answering } = flowOn(socket);
    socket.bufferedAmount = 1500;
    flow.sent();
    for (let call = 1; call <= 3; call++) flow.received(call, 100);
    expect(socket.terminated).toBe(false);
    flow.received(4, 100);
    expect(socket.terminated).toBe(true);
    socket.bufferedAmount = 0;
    flow.pump();
    expect(answering).toEqual([]);
  });
});
