/** Asks before a big download (more than 100 items or 1 GB): "Download 81 items, 35 MB?". */
import { useTranslation } from 'react-i18next';
import type { PendingDownload } from '../store';
import { useAppStore, useStoreApi } from '../store/context';
import { formatSize } from './tree';
import { Modal } from './modal';

export function downloadQuestion(
  pending: Pick<PendingDownload, 'count' | 'bytes' | 'sizeUnknown'>,
  t: (key: string, values?: Record<string, unknown>) => string,
  locale: 'en' | 'de',
): string {
  const count = pending.count;
  if (pending.bytes === 0) return t('sources.confirmNoSize', { count });
  const size = formatSize(pending.bytes, locale);
  return t(pending.sizeUnknown ? 'sources.confirmAtLeast' : 'sources.confirm', { count, size });
}

export function DownloadConfirm() {
  const { t, i18n } = useTranslation();
  const pending = useAppStore((s) => s.pendingDownload);
  const a = useStoreApi().getState();
  if (!pending) return null;
  const locale = i18n.language === 'de' ? 'de' : 'en';
  return (
    <Modal title={downloadQuestion(pending, t, locale)} onClose={a.cancelDownload}>
      <p>{t('sources.confirmBody')}</p>
      <div className="dialog-actions">
        <button type="button" className="primary" autoFocus onClick={() => void a.confirmDownload()}>
          {t('sources.download')}
        </button>
        <button type="button" onClick={a.cancelDownload}>
          {t('sources.cancel')}
        </button>
      </div>
    </Modal>
  );
}
