/**
 * The preload: exposes `window.poweron`, one named method per contract channel and one
 * subscription helper per event (each returns its unsubscribe function). Nothing generic: no
 * invoke, no ipcRenderer, no channel names reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { buildApi } from '../shared/ipc/api';

const api = buildApi(
  (channel, arg) => ipcRenderer.invoke(channel, arg),
  (event, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
);

contextBridge.exposeInMainWorld('poweron', api);
