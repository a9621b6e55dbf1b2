/** The preload, with electron mocked: only named methods reach the page. */
import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES } from '../shared/ipc/names';
import { methodName, subscriptionName } from '../shared/ipc/api';

const exposed: Record<string, unknown> = {};
const ipcRenderer = {
  invoke: vi.fn(async (channel: string) => ({ ok: true, value: channel })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer,
}));

describe('preload', () => {
  it('exposes one named method per channel and one subscription per event, and nothing else', async () => {
    await import('./index');
    const api = exposed.poweron as Record<string, unknown>;
    const expected = [...CHANNEL_NAMES.map(methodName), ...EVENT_NAMES.map(subscriptionName)].sort();
    expect(Object.keys(exposed)).toEqual(['poweron']);
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer', 'emit', 'call'])
      expect(api).not.toHaveProperty(generic);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('maps a method to its channel and a subscription to its event, with a working unsubscribe', async () => {
    await import('./index');
    const api = exposed.poweron as Record<string, (...a: unknown[]) => unknown>;
    await expect(api.connectionsRemove!({ id: 'c1' })).resolves.toEqual({ ok: true, value: 'connections:remove' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('connections:remove', { id: 'c1' });

    const listener = vi.fn();
    const off = api.onTransfersChanged!(listener) as () => void;
    expect(ipcRenderer.on).toHaveBeenCalledWith('transfers:changed', expect.any(Function));
    const handler = ipcRenderer.on.mock.calls.at(-1)![1] as (e: unknown, p: unknown) => void;
    handler({ sender: 'secret-event-object' }, [1]);
    expect(listener).toHaveBeenCalledWith([1]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('transfers:changed', handler);
  });
});
