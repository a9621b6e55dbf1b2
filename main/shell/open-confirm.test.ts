/**
 * Electron's question before a program is opened (mocked `electron`): a native warning whose
 * default and Escape answer are Cancel, in the UI language, attached to the window.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { guardOpenPath } from '../open-guard';

const electron = vi.hoisted(() => ({
  response: 0,
  calls: [] as Array<{ window: unknown; options: Record<string, unknown> }>,
}));

vi.mock('electron', () => ({
  dialog: {
    showMessageBox: async (...args: unknown[]) => {
      const [window, options] = args.length === 2 ? args : [null, args[0]];
      electron.calls.push({ window, options: options as Record<string, unknown> });
      return { response: electron.response, checkboxChecked: false };
    },
  },
}));

const { createOpenConfirm } = await import('./open-confirm');

beforeEach(() => {
  electron.calls.length = 0;
  electron.response = 0;
});

describe('createOpenConfirm', () => {
  it('asks with Cancel first, as default and as Escape; only "Open anyway" opens', async () => {
    const win = { id: 1 };
    const confirm = createOpenConfirm(() => win as never);
    expect(await confirm('/home/anna/Downloads/setup.exe', 'en')).toBe(false);
    const { window, options } = electron.calls[0]!;
    expect(window).toBe(win);
    expect(options).toMatchObject({
      type: 'warning',
      buttons: ['Cancel', 'Open anyway'],
      defaultId: 0,
      cancelId: 0,
      message: '"setup.exe" can run programs or change settings on this computer when it is opened.',
    });
    electron.response = 1;
    expect(await confirm('/home/anna/Downloads/setup.exe', 'en')).toBe(true);
  });

  it('speaks German (Swiss: no ß), and works without a window', async () => {
    const confirm = createOpenConfirm(() => null);
    await confirm('/home/anna/Downloads/install.sh', 'de');
    const { window, options } = electron.calls[0]!;
    expect(window).toBeNull();
    expect(options).toMatchObject({
      buttons: ['Abbrechen', 'Trotzdem öffnen'],
      message: '«install.sh» kann beim Öffnen Programme starten oder Einstellungen dieses Computers ändern.',
    });
    expect(JSON.stringify(options)).not.toContain('ß');
  });

  it('through the guard: Cancel opens nothing, a plain file is never asked about', async () => {
    const openPath = vi.fn(async () => undefined);
    const confirm = createOpenConfirm(() => null);
    const open = guardOpenPath(openPath, {
      platform: 'win32',
      facts: async () => ({ isFile: true, mode: 0o100644 }),
      confirm: (path) => confirm(path, 'en'),
    });
    const cancelled = await open('C:\\Downloads\\setup.exe').catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(AppFailure);
    expect((cancelled as AppFailure).code).toBe('cancelled');
    expect(openPath).not.toHaveBeenCalled();
    await open('C:\\Downloads\\Plan.pdf');
    expect(electron.calls).toHaveLength(1);
    expect(openPath).toHaveBeenCalledWith('C:\\Downloads\\Plan.pdf');
  });
});
