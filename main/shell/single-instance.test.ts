/** The composition root takes the single-instance lock before anything else, with electron mocked. */
import { describe, expect, it, vi } from 'vitest';

const app = {
  requestSingleInstanceLock: vi.fn(() => false),
  quit: vi.fn(),
  on: vi.fn(),
  whenReady: vi.fn(() => new Promise(() => {})),
};
const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };

vi.mock('electron', () => ({
  app,
  protocol,
  BrowserWindow: class {},
  dialog: {},
  nativeImage: {},
  safeStorage: {},
  shell: {},
  screen: {},
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
}));
vi.mock('electron-store', () => ({ default: class {} }));

describe('main/index.ts', () => {
  it('quits a second instance without creating services or windows', async () => {
    await import('../index');
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ secure: true, standard: true }) }),
    ]);
    expect(app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.whenReady).not.toHaveBeenCalled();
  });
});
