import { useTranslation } from 'react-i18next';
import { SERVICE_IDS } from '../../../shared/model/connection';
import type { Connection, ServiceAvailability, ServiceId } from '../../../shared/model/connection';
import { errorText } from '../i18n';
import { useAppStore } from '../store/context';
import { Modal } from './modal';

/** Account names from /1/accounts (stored when the token was validated); the number where a name is missing. */
function accountNames(c: Connection): string {
  if (!c.accounts?.length) return c.accountIds.join(', ');
  return c.accounts.map((a) => a.name?.trim() || `#${a.id}`).join(', ');
}

/** "Verbindungen": every connection with its state, Replace token, Remove, and confirming new addresses. */
/** The scope each service needs (the words of a `scope_missing` reason). */
const SERVICE_SCOPES: Record<ServiceId, string> = {
  kdrive: 'drive',
  calendar: 'workspace:calendar',
  contacts: 'workspace:contact',
  mail: 'workspace:mail',
};

/** Why a service is not available: main's reason in English (it says what was checked), else worded by its code. */
function serviceReason(
  availability: ServiceAvailability,
  service: ServiceId,
  t: (key: string, options?: Record<string, unknown>) => string,
  language: string,
): string | undefined {
  if (language === 'en' && availability.reason) return availability.reason;
  if (availability.reasonCode)
    return t(`connections.reason.${availability.reasonCode}`, { scope: SERVICE_SCOPES[service] });
  return undefined;
}

export function ConnectionsDialog() {
  const { t, i18n } = useTranslation();
  const connections = useAppStore((s) => s.connections);
  const openDialog = useAppStore((s) => s.openDialog);
  const removeConnection = useAppStore((s) => s.removeConnection);
  const confirmEndpoints = useAppStore((s) => s.confirmEndpoints);
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
              <dd>{accountNames(c)}</dd>
              <dt>{t('connections.scopes')}</dt>
              <dd>{c.grantedScopes.join(', ')}</dd>
              <dt>{t('connections.services')}</dt>
              <dd>
                {SERVICE_IDS.map((s) => (
                  <span
                    key={s}
                    className={c.services[s].available ? 'service-on' : 'service-off'}
                    title={serviceReason(c.services[s], s, t, i18n.language)}
                  >
                    {t(`services.${s}`)}
                    {!c.services[s].available && ` (${t('connections.unavailable')})`}{' '}
                  </span>
                ))}
              </dd>
            </dl>
            {c.problem?.code === 'endpoints_changed' && <p>{t('connections.endpointsHint')}</p>}
            <div className="dialog-actions">
              {c.problem?.code === 'endpoints_changed' && (
                <button type="button" className="primary" onClick={() => void confirmEndpoints(c.id)}>
                  {t('connections.confirmEndpoints')}
                </button>
              )}
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
