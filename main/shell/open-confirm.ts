/**
 * Electron: the question before a file that can run code or change settings is opened (issue 8.16, `main/open-guard.ts`).
 * A native warning dialog, attached to the window when there is one; the default and the Escape
 * answer are Cancel.
 */
import { basename } from 'node:path';
import { dialog } from 'electron';
import type { BrowserWindow, MessageBoxOptions } from 'electron';

const TEXT = {
  en: {
    title: 'Open this file?',
    message: (name: string) => `"${name}" can run programs or change settings on this computer when it is opened.`,
    detail:
      'It would do so with your rights (a program, a script, a shortcut, a disk image, a settings or remote-desktop file). Open it only if you trust it and know where it comes from.',
    cancel: 'Cancel',
    open: 'Open anyway',
  },
  de: {
    title: 'Diese Datei öffnen?',
    message: (name: string) =>
      `«${name}» kann beim Öffnen Programme starten oder Einstellungen dieses Computers ändern.`,
    detail:
      'Das geschähe mit Ihren Rechten (ein Programm, ein Skript, eine Verknüpfung, ein Disk-Image, eine Einstellungs- oder Remotedesktop-Datei). Öffnen Sie sie nur, wenn Sie ihr vertrauen und wissen, woher sie kommt.',
    cancel: 'Abbrechen',
    open: 'Trotzdem öffnen',
  },
} as const;

/** Asks whether to open `path`; true only when the user chose to open it. */
export function createOpenConfirm(window: () => BrowserWindow | null) {
  return async (path: string, language: 'en' | 'de'): Promise<boolean> => {
    const t = TEXT[language];
    const options: MessageBoxOptions = {
      type: 'warning',
      title: t.title,
      message: t.message(basename(path)),
      detail: t.detail,
      buttons: [t.cancel, t.open],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    };
    const current = window();
    const { response } = current ? await dialog.showMessageBox(current, options) : await dialog.showMessageBox(options);
    return response === 1;
  };
}
