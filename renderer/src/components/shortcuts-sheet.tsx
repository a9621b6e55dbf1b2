/**
 * The Keyboard shortcuts sheet (F1, `?`, the header's ⌨ button, Help ▸ Keyboard shortcuts in the
 * desktop app): every key of the app in two groups, from `shortcuts.ts`, the Mac way on macOS.
 */
import { useTranslation } from 'react-i18next';
import { useAppStore, useStoreApi } from '../store/context';
import { Modal } from './modal';
import { SHEET, isMac, keysText } from './shortcuts';

export function ShortcutsSheet() {
  const { t } = useTranslation();
  const close = useStoreApi().getState().openDialog;
  const mac = isMac();
  // Save to… needs a folder picker (not in the browser host, 23.8).
  const chooseFolder = useAppStore((s) => s.info?.capabilities.chooseFolder ?? false);
  const shown = (what: string) => what !== 'saveTo' || chooseFolder;
  return (
    <Modal title={t('shortcuts.title')} onClose={() => close(null)} className="shortcuts-sheet">
      {SHEET.map(({ group, lines }) => (
        <table key={group} className="shortcuts-table">
          <caption>{t(`shortcuts.${group}`)}</caption>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">{t('shortcuts.keys')}</th>
              <th scope="col">{t('shortcuts.action')}</th>
            </tr>
          </thead>
          <tbody>
            {lines
              .filter((line) => shown(line.what))
              .map((line) => (
                <tr key={line.what}>
                  <th scope="row">
                    {line.keys.map((keys, i) => (
                      <span key={i}>
                        {i > 0 && <span className="muted"> {t('shortcuts.or')} </span>}
                        <kbd>{keysText(keys, mac)}</kbd>
                      </span>
                    ))}
                  </th>
                  <td>{t(`shortcuts.${line.what}`)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ))}
      <div className="dialog-actions">
        <button type="button" className="primary" autoFocus onClick={() => close(null)}>
          {t('app.close')}
        </button>
      </div>
    </Modal>
  );
}
