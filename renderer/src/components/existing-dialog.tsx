/**
 * "“Willkommen.txt” already exists in Downloads" (issue 13.5): both files side by side (size and
 * modification time, as Finder and Explorer show them), then Skip, Keep both or Replace, asked once
 * per download batch, with "apply to all" when more may follow. Escape answers the whole question:
 * Skip for all (nothing is lost, nothing replaced, and the dialog says so). Main never asks about a
 * file that is the same as the one to download. Closing returns the focus to where it was.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExistingChoice, ExistingQuestion, FileFacts } from '../../../shared/model/existing';
import { useAppStore, useStoreApi } from '../store/context';
import { Modal } from './modal';
import { formatDateTime, formatSize } from './tree';

type T = (key: string, options?: Record<string, unknown>) => string;

/** The "apply to all" label, or null when no other taken name can follow in this batch. */
export function applyToAllLabel(question: Pick<ExistingQuestion, 'more' | 'open'>, t: T): string | null {
  if (question.more > 0 && question.open) return t('existing.applySoFar', { count: question.more });
  if (question.more > 0) return t('existing.applyAll', { count: question.more });
  return question.open ? t('existing.applyLater') : null;
}

/** "37.7 kB, modified 02.01.25, 15:04" (what is unknown is left out). */
export function factsText(facts: FileFacts, t: T, locale: 'en' | 'de'): string {
  const parts: string[] = [];
  if (facts.size !== null) parts.push(formatSize(facts.size, locale));
  if (facts.modifiedAt !== null) parts.push(t('existing.modified', { when: formatDateTime(facts.modifiedAt, locale) }));
  return parts.length > 0 ? parts.join(', ') : t('existing.unknown');
}

/** The file there and the one to download, side by side. */
function Compare({ question }: { question: ExistingQuestion }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  return (
    <dl className="existing-compare">
      <dt>{t('existing.there')}</dt>
      <dd>{factsText(question.existing, t, locale)}</dd>
      <dt>{t('existing.incoming')}</dt>
      <dd>{factsText(question.incoming, t, locale)}</dd>
    </dl>
  );
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
      <Compare question={question} />
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
      <p className="muted small">{t('existing.escHint')}</p>
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
      onClose={() => void resolve(question.id, 'skip', true)}
      className="existing-dialog"
    >
      <Choices key={question.id} question={question} />
    </Modal>
  );
}
