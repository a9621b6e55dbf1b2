import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { VALIDATION_STEPS } from '../../../shared/model/connection';
import { errorText } from '../i18n';
import { useAppStore } from '../store/context';
import { Modal } from './Modal';

type Mode = { kind: 'add' } | { kind: 'replace'; connectionId: string };

export function AddConnectionDialog({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [agree, setAgree] = useState(false);
  const vault = useAppStore((s) => s.vault);
  const flow = useAppStore((s) => s.addFlow);
  const connection = useAppStore((s) =>
    mode.kind === 'replace' ? s.connections.find((c) => c.id === mode.connectionId) : undefined,
  );
  const addConnection = useAppStore((s) => s.addConnection);
  const replaceToken = useAppStore((s) => s.replaceToken);
  const openDialog = useAppStore((s) => s.openDialog);
  const openTokenPage = useAppStore((s) => s.openTokenPage);

  const busy = flow?.busy ?? false;
  const needsConsent = vault?.consentRequired ?? false;
  const canSubmit = token.trim().length > 0 && !busy && (!needsConsent || agree);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmit) return;
    if (mode.kind === 'add') void addConnection(token.trim(), agree);
    else void replaceToken(mode.connectionId, token.trim(), agree);
  };

  const title = mode.kind === 'add' ? t('add.title') : t('add.replaceTitle', { label: connection?.label ?? '' });
  return (
    <Modal title={title} onClose={() => openDialog(null)} className="add-dialog">
      <form onSubmit={submit}>
        <label htmlFor="token-input">{t('add.tokenLabel')}</label>
        <input
          id="token-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby="token-help"
          disabled={busy}
        />
        <p id="token-help" className="muted small">
          {t('add.tokenHelp')}{' '}
          <button type="button" className="link" onClick={() => void openTokenPage()}>
            {t('add.openTokenPage')}
          </button>
        </p>

        {vault?.backend === 'host-file' && <p className="muted small">{t('add.hostVault')}</p>}
        {needsConsent && (
          <div className="warning-box" role="note">
            <strong>{t('add.weakStorageTitle')}</strong>
            <p>{t('add.weakStorageBody')}</p>
            <label className="checkbox">
              <input type="checkbox" checked={agree} onChange={(e) => setAgree(e.target.checked)} />
              {t('add.weakStorageAgree')}
            </label>
          </div>
        )}

        {flow && (
          <ol className="steps" aria-label={t('add.checking')} aria-live="polite">
            {VALIDATION_STEPS.map((step) => {
              const p = flow.steps[step];
              const state = p?.state ?? 'pending';
              return (
                <li key={step} className={`step step-${state}`}>
                  <span className="step-state">{t(`add.state.${state}`)}</span>
                  <span className="step-name">{t(`add.steps.${step}`)}</span>
                  {p?.note && state !== 'ok' && <span className="muted small step-note">{p.note}</span>}
                </li>
              );
            })}
          </ol>
        )}
        {flow?.error && (
          <p className="error-text" role="alert">
            {errorText(flow.error)}
          </p>
        )}

        <div className="dialog-actions">
          <button type="button" onClick={() => openDialog(null)}>
            {t('add.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!canSubmit} aria-busy={busy}>
            {busy ? t('add.checking') : t('add.connect')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
