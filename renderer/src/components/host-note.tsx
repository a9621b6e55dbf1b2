/**
 * What the browser host says when asked to open something on the computer it runs on (issue
 * 23.8): it starts nothing there (the page may be on another computer), so it says so and offers
 * the path to copy, or the page as a link to open in a new tab (a click of the user's, never a
 * blocked pop-up) and to copy.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostNote as Note } from '../store/app-slice';
import { useAppStore, useStoreApi } from '../store/context';
import { Modal } from './modal';

function Copy({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const copyText = useStoreApi().getState().copyText;
  const [said, setSaid] = useState<'copied' | 'failed' | null>(null);
  return (
    <>
      <button type="button" onClick={() => void copyText(text).then((r) => setSaid(r.ok ? 'copied' : 'failed'))}>
        {label}
      </button>
      <span role="status" className="muted small">
        {said === 'copied' ? t('hostNote.copied') : said === 'failed' ? t('hostNote.copyFailed') : ''}
      </span>
    </>
  );
}

function NoteBody({ note }: { note: Note }) {
  const { t } = useTranslation();
  if (note.kind === 'page')
    return (
      <>
        <p>{t('hostNote.pageBody')}</p>
        <p className="host-note-value">
          <a href={note.url} target="_blank" rel="noopener noreferrer">
            {note.url}
          </a>
        </p>
        <div className="dialog-actions">
          <Copy text={note.url} label={t('hostNote.copyLink')} />
        </div>
      </>
    );
  return (
    <>
      <p>{t(note.kind === 'file' ? 'hostNote.fileBody' : 'hostNote.folderBody')}</p>
      <p className="host-note-value">
        <code>{note.path}</code>
      </p>
      <div className="dialog-actions">
        <Copy text={note.path} label={t('hostNote.copyPath')} />
      </div>
    </>
  );
}

export function HostNoteDialog() {
  const { t } = useTranslation();
  const note = useAppStore((s) => s.hostNote);
  const dismiss = useStoreApi().getState().showHostNote;
  if (!note) return null;
  const title =
    note.kind === 'page' && note.name === 'tokenPage'
      ? t('add.openTokenPage')
      : t(`hostNote.${note.kind}Title`, { name: note.name });
  return (
    <Modal title={title} onClose={() => dismiss(null)} className="host-note">
      <NoteBody note={note} />
      <div className="dialog-actions">
        <button type="button" className="primary" autoFocus onClick={() => dismiss(null)}>
          {t('app.close')}
        </button>
      </div>
    </Modal>
  );
}
