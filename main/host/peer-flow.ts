/**
 * Backpressure for one WebSocket peer of the browser host (issue 25.8): a peer that sends calls and
 * never reads the answers must cost at most its own connection, not the host's memory.
 *
 * - Calls are answered at most `maxInFlight` at a time, and the next ones on a later turn of the
 *   event loop, so one peer's flood does not keep the others waiting; more wait in a queue.
 * - While more than `pauseAtBytes` wait to go out to the peer (`bufferedAmount`), none of its calls
 *   is answered and its socket is not read (`ws.pause()`), so the peer meets TCP's own backpressure;
 *   both go on once less than `resumeAtBytes` wait.
 * - Past `dropAtBytes` waiting to go out (answers and events), or past `maxQueuedBytes` of calls
 *   read but not yet answered, the peer is dropped.
 * A page that reads as it should never comes near these bounds.
 */
import type { WebSocket } from 'ws';

export interface FlowLimits {
  maxInFlight: number;
  pauseAtBytes: number;
  resumeAtBytes: number;
  dropAtBytes: number;
  maxQueuedBytes: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = {
  maxInFlight: 64,
  pauseAtBytes: 1024 * 1024,
  resumeAtBytes: 256 * 1024,
  dropAtBytes: 16 * 1024 * 1024,
  maxQueuedBytes: 8 * 1024 * 1024,
};

/** What a peer's socket needs to offer (ws's WebSocket). */
export type FlowSocket = Pick<WebSocket, 'bufferedAmount' | 'pause' | 'resume' | 'terminate' | 'readyState' | 'OPEN'>;

export class PeerFlow<Call> {
  readonly #ws: FlowSocket;
  readonly #answer: (call: Call) => Promise<void>;
  readonly #limits: FlowLimits;
  readonly #log: (line: string) => void;
  readonly #queue: Array<{ call: Call; bytes: number }> = [];
  #queuedBytes = 0;
  #inFlight = 0;
  /** More than pauseAtBytes went unread; cleared below resumeAtBytes. */
  #congested = false;
  #paused = false;
  #said = false;
  #dropped = false;
  #scheduled = false;

  constructor(
    ws: FlowSocket,
    answer: (call: Call) => Promise<void>,
    options: { limits?: FlowLimits; log?: (line: string) => void } = {},
  ) {
    this.#ws = ws;
    this.#answer = answer;
    this.#limits = options.limits ?? DEFAULT_FLOW_LIMITS;
    this.#log = options.log ?? (() => {});
  }

  /** A call read from the peer (`bytes`: its frame's size). */
  received(call: Call, bytes: number): void {
    if (this.#dropped) return;
    this.#queue.push({ call, bytes });
    this.#queuedBytes += bytes;
    if (this.#queuedBytes > this.#limits.maxQueuedBytes) {
      this.#drop(`${mib(this.#queuedBytes)} of calls waiting`);
      return;
    }
    this.pump();
  }

  /** Something was sent to the peer (an answer or an event): drop it if too much waits to go out. */
  sent(): void {
    const waiting = this.#ws.bufferedAmount;
    if (waiting > this.#limits.dropAtBytes) this.#drop(`${mib(waiting)} waiting to be sent`);
    else this.later();
  }

  /**
   * `pump()` on the next turn of the event loop (once, however often asked): a peer that floods
   * calls gets at most `maxInFlight` of them answered per turn, and the other peers' frames are
   * read in between.
   */
  later(): void {
    if (this.#scheduled || this.#dropped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.pump();
    });
  }

  /** Answers what may be answered now, and pauses or resumes reading the peer. */
  pump(): void {
    if (this.#dropped || this.#ws.readyState !== this.#ws.OPEN) return;
    const waiting = this.#ws.bufferedAmount;
    if (waiting >= this.#limits.pauseAtBytes) this.#congested = true;
    else if (waiting < this.#limits.resumeAtBytes) this.#congested = false;
    while (!this.#congested && this.#inFlight < this.#limits.maxInFlight && this.#queue.length > 0) {
      const { call, bytes } = this.#queue.shift()!;
      this.#queuedBytes -= bytes;
      this.#inFlight += 1;
      void this.#answer(call).finally(() => {
        this.#inFlight -= 1;
        this.later();
      });
    }
    const hold = this.#congested || this.#queue.length > 0;
    if (hold && !this.#paused) {
      this.#paused = true;
      this.#ws.pause();
      if (this.#congested && !this.#said) {
        this.#said = true;
        this.#log('host: a WebSocket peer does not read its answers; its calls wait');
      }
    } else if (!hold && this.#paused) {
      this.#paused = false;
      this.#ws.resume();
    }
  }

  #drop(why: string): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#log(`host: dropped a WebSocket peer that does not read (${why})`);
    this.#ws.terminate();
  }
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
