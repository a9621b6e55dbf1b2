import { useTranslation } from 'react-i18next';
import { SERVICE_IDS } from '../../../shared/model/connection';
import { errorText } from '../i18n';
import { useAppStore } from '../store/context';
import { Modal } from './Modal';

/** "Verbindungen": every connection with its state, Replace token and Remove. */
export function ConnectionsDialog() {
  const { t } = useTranslation();
  const connections = useAppStore((s) => s.connections);
  const openDialog = useAppStore((s) => s.openDialog);
  const removeConnection = useAppStore((s) => s.removeConnection);
  return (
    <Modal title={t('connections.title')} onClose={() => openDialog(null)} className="connections-dialog">
      {connections.length === 0 && <p>{t('connections.none')}</p>}
      <ul className="connection-list">
        {connections.map((c) => (
          <li key={c.id} className="connection-card" aria-label={c.label}>
            <div className="connection-head">
              <strong>{c.label}</strong>
              {c.demo && <span className="badge">{t('connections.demo')}</span>}
              <span className={`badge ${c.status === 'active' ? 'badge-ok' : 'badge-error'}`} role="status">
                {c.status === 'active' ? t('connections.active') : t('connections.needsAttention')}
              </span>
            </div>
            {c.status === 'needs_attention' && c.problem && <p className="error-text">{errorText(c.problem)}</p>}
            <dl className="facts">
              <dt>{t('connections.accounts')}</dt>
              <dd>{c.accountIds.join(', ')}</dd>
              <dt>{t('connections.scopes')}</dt>
              <dd>{c.grantedScopes.join(', ')}</dd>
              <dt>{t('connections.services')}</dt>
              <dd>
                {SERVICE_IDS.map((s) => (
                  <span
                    key={s}
                    className={c.services[s].available ? 'service-on' : 'service-off'}
                    title={c.services[s].reason}
                  >
                    {t(`services.${s}`)}
                    {!c.services[s].available && ` (${t('connections.unavailable')})`}{' '}
                  </span>
                ))}
              </dd>
            </dl>
            <div className="dialog-actions">
              <button type="button" onClick={() => openDialog({ kind: 'replace', connectionId: c.id })}>
                {t('connections.replaceToken')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  if (window.confirm(t('connections.removeConfirm', { label: c.label }))) void removeConnection(c.id);
                }}
              >
                {t('connections.remove')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={() => openDialog({ kind: 'add' })}>
          {t('connections.add')}
        </button>
        <button type="button" onClick={() => openDialog(null)}>
          {t('connections.close')}
        </button>
      </div>
    </Modal>
  );
}
