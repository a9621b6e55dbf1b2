/**
 * The Electron transport: one ipcMain.handle per contract channel, all through the router; events
 * from the bus to every window's webContents. The only place with raw ipcMain and webContents.send.
 */
import { ipcMain } from 'electron';
import type { BrowserWindow } from 'electron';
import { CHANNEL_NAMES } from '../../shared/ipc/names';
import type { EventBus, Router } from './router';

export function registerElectronTransport(router: Router, bus: EventBus, windows: () => BrowserWindow[]): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, arg: unknown) =>
      router.dispatch(channel, arg, { senderUrl: event.senderFrame?.url ?? '', transport: 'electron' }),
    );
  }
  const unsubscribe = bus.subscribe((name, payload) => {
    for (const win of windows()) {
      if (!win.isDestroyed()) win.webContents.send(name, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}
