import { useEffect, useRef, useState } from 'react';
import type { FormEvent, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { VALIDATION_STEPS } from '../../../shared/model/connection';
import type { ValidationStepState } from '../../../shared/model/connection';
import type { AppError } from '../../../shared/model/errors';
import { tokenProblem } from '../../../shared/model/token';
import type { TokenProblem } from '../../../shared/model/token';
import { errorText } from '../i18n';
import type { AddFlow } from '../store';
import { useAppStore } from '../store/context';
import { Modal } from './modal';

type Mode = { kind: 'add' } | { kind: 'replace'; connectionId: string };
type ShownState = ValidationStepState | 'notRun';

/** Errors that say nothing about the token: Infomaniak was never really asked. */
const UNREACHED = new Set(['network', 'timeout', 'unsafe_redirect']);
/** Errors that are the token's fault: the field is marked invalid. */
const TOKEN_FAULT = new Set(['validation', 'token_invalid', 'scope_missing']);

/**
 * What a step shows once the check has ended with an error: the failing step says Failed (unless
 * Infomaniak was not reached at all), every step that did not finish says it was not checked.
 */
export function shownStepState(flow: AddFlow, step: string, state: ValidationStepState): ShownState {
  const error = flow.error;
  if (flow.busy || !error || state === 'ok') return state;
  if (UNREACHED.has(error.code)) return 'notRun';
  if (state === 'failed' && (error.details?.step ?? step) === step) return 'failed';
  return 'notRun';
}

function StepList({ flow }: { flow: AddFlow }) {
  const { t } = useTranslation();
  return (
    <ol className="steps" aria-label={t('add.checking')} aria-live="polite">
      {VALIDATION_STEPS.map((step) => {
        const state = shownStepState(flow, step, flow.steps[step]?.state ?? 'pending');
        return (
          <li key={step} className={`step step-${state}`}>
            <span className="step-state">{t(`add.state.${state}`)}</span>
            <span className="step-name">{t(`add.steps.${step}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}

function problemText(problem: TokenProblem | null, error: AppError | null, t: (key: string) => string) {
  if (problem) return t(`add.problem.${problem}`);
  if (!error) return null;
  // The contract's check of the same rules, should the local one ever let something through.
  if (error.code === 'validation' && error.details?.path === 'token') return t('add.problem.rejected');
  // Not reached at all: say so, and that the token is not at fault (23.9).
  if (error.code === 'network') return t('add.problem.unreachable');
  return errorText(error);
}

interface TokenFieldProps {
  ref: Ref<HTMLInputElement>;
  token: string;
  onChange(value: string): void;
  invalid: boolean;
  hasError: boolean;
  disabled: boolean;
}

/** The token input with its show/hide toggle and help; marked invalid and described by the error. */
function TokenField({ ref, token, onChange, invalid, hasError, disabled }: TokenFieldProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const openTokenPage = useAppStore((s) => s.openTokenPage);
  return (
    <>
      <label htmlFor="token-input">{t('add.tokenLabel')}</label>
      <div className="token-field">
        <input
          id="token-input"
          ref={ref}
          type={shown ? 'text' : 'password'}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={token}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={hasError ? 'token-error token-help' : 'token-help'}
          disabled={disabled}
        />
        <button type="button" aria-pressed={shown} onClick={() => setShown(!shown)}>
          {t('add.showToken')}
        </button>
      </div>
      <p id="token-help" className="muted small">
        {t('add.tokenHelp')}{' '}
        <button type="button" className="link" onClick={() => void openTokenPage()}>
          {t('add.openTokenPage')}
        </button>
      </p>
    </>
  );
}

interface VaultNoteProps {
  hostFile: boolean;
  needsConsent: boolean;
  agree: boolean;
  onAgree(value: boolean): void;
}

/** Where the token will be kept, and the consent a weakly protected store needs first. */
function VaultNote({ hostFile, needsConsent, agree, onAgree }: VaultNoteProps) {
  const { t } = useTranslation();
  return (
    <>
      {hostFile && <p className="muted small">{t('add.hostVault')}</p>}
      {needsConsent && (
        <div className="warning-box" role="note">
          <strong>{t('add.weakStorageTitle')}</strong>
          <p>{t('add.weakStorageBody')}</p>
          <label className="checkbox">
            <input type="checkbox" checked={agree} onChange={(e) => onAgree(e.target.checked)} />
            {t('add.weakStorageAgree')}
          </label>
        </div>
      )}
    </>
  );
}

/** The dialog's title and what Connect does: add a connection, or replace one's token. */
function useSend(mode: Mode): { title: string; run(token: string, agree: boolean): void } {
  const { t } = useTranslation();
  const connection = useAppStore((s) =>
    mode.kind === 'replace' ? s.connections.find((c) => c.id === mode.connectionId) : undefined,
  );
  const addConnection = useAppStore((s) => s.addConnection);
  const replaceToken = useAppStore((s) => s.replaceToken);
  if (mode.kind === 'add') return { title: t('add.title'), run: (token, agree) => void addConnection(token, agree) };
  return {
    title: t('add.replaceTitle', { label: connection?.label ?? '' }),
    run: (token, agree) => void replaceToken(mode.connectionId, token, agree),
  };
}

export function AddConnectionDialog({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [agree, setAgree] = useState(false);
  const [problem, setProblem] = useState<TokenProblem | null>(null);
  const [submitted, setSubmitted] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const vault = useAppStore((s) => s.vault);
  const flow = useAppStore((s) => s.addFlow);
  const send = useSend(mode);
  const openDialog = useAppStore((s) => s.openDialog);

  const busy = flow?.busy ?? false;
  const needsConsent = vault?.consentRequired ?? false;
  const canSubmit = !busy && (!needsConsent || agree);
  const error = flow && !flow.busy ? flow.error : null;
  const message = problemText(problem, error, t);
  const invalid = problem !== null || (error !== null && TOKEN_FAULT.has(error.code) && token === submitted);

  // After a failed check the field is enabled again: put the focus back where the fix is typed.
  useEffect(() => {
    if (error) input.current?.focus();
  }, [error]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmit) return;
    const found = tokenProblem(token);
    setProblem(found);
    if (found) {
      input.current?.focus();
      return;
    }
    setSubmitted(token);
    send.run(token.trim(), agree);
  };

  return (
    <Modal title={send.title} onClose={() => openDialog(null)} className="add-dialog">
      <form onSubmit={submit} noValidate>
        <TokenField
          ref={input}
          token={token}
          onChange={(value) => {
            setToken(value);
            setProblem(null);
          }}
          invalid={invalid}
          hasError={message !== null}
          disabled={busy}
        />

        <VaultNote
          hostFile={vault?.backend === 'host-file'}
          needsConsent={needsConsent}
          agree={agree}
          onAgree={setAgree}
        />

        {flow && !problem && <StepList flow={flow} />}
        {message && (
          <p id="token-error" className="error-text" role="alert">
            {message}
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
