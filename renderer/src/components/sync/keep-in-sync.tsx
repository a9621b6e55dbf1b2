/**
 * "Keep in sync…" for the selected node: Create → Preview → Start. The form says what sync does
 * (cloud → this computer, never uploaded) and when it runs, takes how to write it, and makes the
 * pair in main's default (or chosen) folder; the pair then waits here for its Start, with its
 * Preview (a dry run) shown in the form. A refusal (a vault, a folder already in a pair) shows in
 * the form, next to what caused it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceNode } from '../../../../shared/model/sources';
import type { SyncLayout } from '../../../../shared/model/sync';
import { errorText } from '../../i18n';
import { syncLayoutsFor } from '../../store';
import { useAppStore, useStoreApi } from '../../store/context';
import { OneWay } from './one-way';
import { SyncPreview } from './sync-preview';

/** When a pair runs: on its own every N minutes (and soon after a change), or only by hand. */
function WhenItRuns() {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.settings);
  if (!settings) return null;
  return (
    <p className="muted">
      {settings.syncScheduled ? t('sync.autoOn', { count: settings.syncEveryMinutes }) : t('sync.autoOff')}
    </p>
  );
}

function DraftError() {
  const error = useAppStore((s) => s.syncDraftError);
  return error ? (
    <div role="alert" className="sync-error">
      {errorText(error)}
    </div>
  ) : null;
}

/** The pair the form made, waiting for its Start: Preview (shown here) and Start. */
function Created({ pairId }: { pairId: string }) {
  const { t } = useTranslation();
  const a = useStoreApi().getState();
  const status = useAppStore((s) => s.syncPairs.find((p) => p.pair.id === pairId));
  const preview = useAppStore((s) => (s.syncPreview?.pairId === pairId ? s.syncPreview : null));
  const previewing = useAppStore((s) => s.syncPreviewing === pairId);
  if (!status) return null;
  return (
    <section className="sync-draft" aria-label={t('sync.keep')}>
      <p role="status">{t('sync.created', { name: status.pair.name })}</p>
      <p className="muted">{t('sync.folder', { path: status.pair.localPath })}</p>
      <OneWay />
      <DraftError />
      {previewing && <p className="muted">{t('sync.previewing')}</p>}
      {preview && <SyncPreview preview={preview} onDismiss={a.dismissSyncNotes} />}
      <div className="details-actions">
        <button type="button" disabled={previewing} onClick={() => void a.previewSync(pairId)}>
          {t('sync.preview')}
        </button>
        {/* The Create button is gone: the keyboard focus moves on to the next step. */}
        <button type="button" className="primary" autoFocus onClick={() => void a.startSyncPair(pairId)}>
          {t('sync.start')}
        </button>
        <button type="button" onClick={() => a.openSyncDraft(null)}>
          {t('sync.close')}
        </button>
      </div>
    </section>
  );
}

export function KeepInSync({ node, canChooseFolder }: { node: SourceNode | null; canChooseFolder: boolean }) {
  const { t } = useTranslation();
  const draft = useAppStore((s) => s.syncDraftNodeId);
  const draftPair = useAppStore((s) => s.syncDraftPairId);
  // The folder of the pair that already keeps this node (a second pair on it would be refused).
  const keptIn = useAppStore((s) => s.syncPairs.find((p) => p.pair.nodeId === node?.id)?.pair.localPath ?? null);
  const a = useStoreApi().getState();
  const [layout, setLayout] = useState<SyncLayout | null>(null);
  const [ignoreDeletes, setIgnoreDeletes] = useState<boolean | null>(null);
  const layouts = syncLayoutsFor(node);
  if (!node || layouts.length === 0) return null;
  if (draftPair && draft === node.id) return <Created pairId={draftPair} />;
  if (keptIn) return <p className="muted">{t('sync.keptIn', { path: keptIn })}</p>;
  if (draft !== node.id) {
    return (
      <div className="details-actions">
        <button type="button" onClick={() => a.openSyncDraft(node.id)}>
          {t('sync.keep')}
        </button>
      </div>
    );
  }
  const chosen = layout && layouts.includes(layout) ? layout : layouts[0]!;
  // A Maildir is read by a mail program, which moves and renames its files: keep them gone by default.
  const keepDeletes = ignoreDeletes ?? chosen === 'maildir';
  const create = (chooseFolder: boolean) =>
    void a.createSyncPair(node.id, { layout: chosen, ignoreLocalDeletes: keepDeletes, chooseFolder });
  return (
    <form
      className="sync-draft"
      aria-label={t('sync.keep')}
      onSubmit={(e) => {
        e.preventDefault();
        create(false);
      }}
    >
      <OneWay />
      <WhenItRuns />
      {layouts.length > 1 && (
        <fieldset>
          <legend>{t('sync.layout')}</legend>
          {layouts.map((l) => (
            <label key={l}>
              <input type="radio" name="sync-layout" checked={chosen === l} onChange={() => setLayout(l)} />
              {l === 'vdir' ? t('sync.layoutVdir') : t('sync.layoutFile')}
            </label>
          ))}
        </fieldset>
      )}
      {chosen === 'maildir' && <p className="muted">{t('sync.maildir')}</p>}
      <label>
        <input type="checkbox" checked={keepDeletes} onChange={(e) => setIgnoreDeletes(e.target.checked)} />
        {t('sync.ignoreDeletes')}
      </label>
      {chosen === 'maildir' && <p className="muted small">{t('sync.ignoreDeletesMail')}</p>}
      <p className="muted">{t('sync.defaultFolder')}</p>
      <DraftError />
      <div className="details-actions">
        <button type="submit" className="primary">
          {t('sync.create')}
        </button>
        {canChooseFolder && (
          <button type="button" onClick={() => create(true)}>
            {t('sync.chooseFolder')}
          </button>
        )}
        <button type="button" onClick={() => a.openSyncDraft(null)}>
          {t('sync.cancel')}
        </button>
      </div>
    </form>
  );
}
