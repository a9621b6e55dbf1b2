/**
 * The API the renderer uses: `window.poweron` from the Electron preload, or the same contract over
 * the browser host's WebSocket. Store actions call it; components never do.
 */
import { buildApi, transportError } from '../../../shared/ipc/api';
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../shared/ipc/contract';
import { decodeFrame, hostReply } from '../../../shared/ipc/host-messages';
import type { HostCall } from '../../../shared/ipc/host-messages';
import type { Result } from '../../../shared/model/errors';

declare global {
  interface Window {
    poweron?: PowerOnApi;
  }
}

const SECRET_KEY = 'poweron.hostSecret';

/** Reads the host secret from the URL fragment once, keeps it for reloads, and clears the fragment. */
export function takeHostSecret(): string | null {
  const match = /(?:^#|&)secret=([0-9a-f]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(SECRET_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(SECRET_KEY);
}

export interface HostConnection {
  api: PowerOnApi;
  onStatus(listener: (status: 'open' | 'closed') => void): () => void;
}

export function connectToHost(secret: string): HostConnection {
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ipc`;
  const socket = new WebSocket(url, [`poweron.${secret}`]);
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(status: 'open' | 'closed') => void>();
  const queue: string[] = [];
  let nextId = 1;
  let closed = false;

  socket.addEventListener('open', () => {
    for (const frame of queue.splice(0)) socket.send(frame);
    for (const l of statusListeners) l('open');
  });
  socket.addEventListener('close', () => {
    closed = true;
    for (const resolve of pending.values())
      resolve(transportError('The connection to the app was lost. Reload the page.'));
    pending.clear();
    for (const l of statusListeners) l('closed');
  });
  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const message = typeof event.data === 'string' ? decodeFrame(hostReply, event.data) : null;
    if (!message) return;
    if (message.t === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else {
      for (const l of listeners.get(message.event) ?? []) l(message.payload);
    }
  });

  const invoke = (channel: ChannelName, arg: unknown): Promise<Result<unknown>> => {
    if (closed) return Promise.resolve(transportError('The connection to the app was lost. Reload the page.'));
    const id = nextId++;
    const call: HostCall = { t: 'call', id, channel, arg };
    const frame = JSON.stringify(call);
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else queue.push(frame);
    });
  };
  const subscribe = (event: EventName, listener: (payload: unknown) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  };
  return {
    api: buildApi(invoke, subscribe),
    onStatus(listener) {
      statusListeners.add(listener);
      return () => void statusListeners.delete(listener);
    },
  };
}

export type ApiSource =
  { kind: 'electron'; api: PowerOnApi } | { kind: 'host'; connection: HostConnection } | { kind: 'none' };

export function resolveApi(): ApiSource {
  if (window.poweron) return { kind: 'electron', api: window.poweron };
  const secret = takeHostSecret();
  if (secret) return { kind: 'host', connection: connectToHost(secret) };
  return { kind: 'none' };
}
