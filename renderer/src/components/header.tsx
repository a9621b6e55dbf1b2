import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/context';

export function Header() {
  const { t } = useTranslation();
  const info = useAppStore((s) => s.info);
  const connections = useAppStore((s) => s.connections);
  const openDialog = useAppStore((s) => s.openDialog);
  const custom = info?.customEndpoints ? Object.values(info.customEndpoints) : [];
  const attention = connections.filter((c) => c.status === 'needs_attention').length;
  return (
    <header className="header">
      <div className="brand">
        <img src="./icon.svg" alt="" width={22} height={22} />
        <h1>{t('app.title')}</h1>
        {info?.host === 'browser' && <span className="badge">{t('app.hostMode')}</span>}
        {custom.length > 0 && (
          <span
            className="badge badge-warning"
            title={t('app.customEndpointsHint', { list: custom.join(', ') })}
            role="status"
          >
            {t('app.customEndpoints')}
          </span>
        )}
      </div>
      <nav className="header-actions" aria-label={t('app.title')}>
        <button type="button" onClick={() => openDialog({ kind: 'connections' })}>
          {t('connections.manage')}
          {attention > 0 && <span className="dot" aria-label={t('connections.needsAttention')} />}
        </button>
        <button type="button" onClick={() => openDialog({ kind: 'settings' })}>
          {t('app.settings')}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('app.shortcutsButton')}
          title={t('app.shortcutsButton')}
          aria-keyshortcuts="F1"
          onClick={() => openDialog({ kind: 'shortcuts' })}
        >
          <span aria-hidden="true">⌨</span>
        </button>
      </nav>
    </header>
  );
}
