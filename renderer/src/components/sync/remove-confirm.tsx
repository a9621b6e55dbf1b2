/** Remove asks first, and says the files stay: "Remove the sync pair “Projects”? The files in … stay on this computer." */
import { useTranslation } from 'react-i18next';
import { useAppStore, useStoreApi } from '../../store/context';
import { Modal } from '../modal';

export function RemoveConfirm() {
  const { t } = useTranslation();
  const id = useAppStore((s) => s.syncRemoveId);
  const status = useAppStore((s) => s.syncPairs.find((p) => p.pair.id === s.syncRemoveId));
  const a = useStoreApi().getState();
  if (!id || !status) return null;
  const cancel = () => a.askRemoveSync(null);
  return (
    <Modal title={t('sync.removeTitle', { name: status.pair.name })} onClose={cancel}>
      <p>{t('sync.removeBody', { path: status.pair.localPath })}</p>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={() => void a.confirmRemoveSync()}>
          {t('sync.removeConfirm')}
        </button>
        <button type="button" autoFocus onClick={cancel}>
          {t('sync.cancel')}
        </button>
      </div>
    </Modal>
  );
}
