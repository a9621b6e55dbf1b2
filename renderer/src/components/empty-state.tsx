import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/context';

export function EmptyState() {
  const { t } = useTranslation();
  const openDialog = useAppStore((s) => s.openDialog);
  const startDemo = useAppStore((s) => s.startDemo);
  const demoAvailable = useAppStore((s) => s.info?.demoAvailable ?? false);
  return (
    <main className="empty">
      <div className="empty-card">
        <img src="./icon.svg" alt="" width={64} height={64} />
        <h2>{t('empty.title')}</h2>
        <p>{t('empty.body')}</p>
        <div className="empty-actions">
          <button type="button" className="primary" onClick={() => openDialog({ kind: 'add' })}>
            {t('empty.add')}
          </button>
          {demoAvailable && (
            <button type="button" onClick={() => void startDemo()}>
              {t('empty.demo')}
            </button>
          )}
        </div>
        {demoAvailable && <p className="muted small">{t('empty.demoHint')}</p>}
      </div>
    </main>
  );
}
