/**
 * "“Willkommen.txt” already exists in Downloads" (issue 13.5): Skip, Keep both or Replace, asked
 * once per download batch, with "apply to all" when more may follow. Escape skips this
 * one file (nothing is lost, nothing replaced). Closing returns the focus to where it was.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExistingChoice, ExistingQuestion } from '../../../shared/model/existing';
import { useAppStore, useStoreApi } from '../store/context';
import { Modal } from './modal';

type T = (key: string, options?: Record<string, unknown>) => string;

/** The "apply to all" label, or null when no other taken name can follow in this batch. */
export function applyToAllLabel(question: Pick<ExistingQuestion, 'more' | 'open'>, t: T): string | null {
  if (question.more > 0 && question.open) return t('existing.applySoFar', { count: question.more });
  if (question.more > 1) return t('existing.applyAll', { count: question.more });
  if (question.more === 1) return t('existing.applyOne');
  return question.open ? t('existing.applyLater') : null;
}

function Choices({ question }: { question: ExistingQuestion }) {
  const { t } = useTranslation();
  const resolve = useStoreApi().getState().answerExisting;
  const host = useAppStore((s) => s.info?.host);
  const [all, setAll] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  // Keep both (nothing lost, nothing replaced) has the focus: after showModal(), which focuses the first button.
  useEffect(() => queueMicrotask(() => keep.current?.focus()), [question.id]);
  const label = applyToAllLabel(question, t);
  const answer = (choice: ExistingChoice) => () => void resolve(question.id, choice, all && label !== null);
  return (
    <>
      <p>{t('existing.body')}</p>
      <p className="muted small">{t(host === 'browser' ? 'existing.replaceHintHost' : 'existing.replaceHint')}</p>
      {label && (
        <label className="checkbox">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {label}
        </label>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={answer('skip')}>
          {t('existing.skip')}
        </button>
        <button type="button" className="primary" ref={keep} onClick={answer('keep')}>
          {t('existing.keep')}
        </button>
        <button type="button" onClick={answer('replace')}>
          {t('existing.replace')}
        </button>
      </div>
    </>
  );
}

/** Shows the oldest open question; the next one follows in the same dialog. */
export function ExistingDialog() {
  const { t } = useTranslation();
  const question = useAppStore((s) => s.existingQuestions[0] ?? null);
  const resolve = useStoreApi().getState().answerExisting;
  if (!question) return null;
  return (
    <Modal
      title={t('existing.title', { name: question.name, folder: question.folder })}
      onClose={() => void resolve(question.id, 'skip', false)}
      className="existing-dialog"
    >
      <Choices key={question.id} question={question} />
    </Modal>
  );
}
