/**
 * Electron: the question before a program or script is opened (issue 8.16, `main/open-guard.ts`).
 * A native warning dialog, attached to the window when there is one; the default and the Escape
 * answer are Cancel.
 */
import { basename } from 'node:path';
import { dialog } from 'electron';
import type { BrowserWindow, MessageBoxOptions } from 'electron';

const TEXT = {
  en: {
    title: 'Open a program?',
    message: (name: string) => `"${name}" is a program or script.`,
    detail:
      'Opening it lets it run on this computer with your rights. Open it only if you trust it and know where it comes from.',
    cancel: 'Cancel',
    open: 'Open anyway',
  },
  de: {
    title: 'Programm öffnen?',
    message: (name: string) => `«${name}» ist ein Programm oder Skript.`,
    detail:
      'Wenn Sie es öffnen, läuft es auf diesem Computer mit Ihren Rechten. Öffnen Sie es nur, wenn Sie ihm vertrauen und wissen, woher es kommt.',
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
