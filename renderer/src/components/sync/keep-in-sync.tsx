/** "Keep in sync…" for the selected node: how to write it, then a pair in main's default (or chosen) folder. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceNode } from '../../../../shared/model/sources';
import type { SyncLayout } from '../../../../shared/model/sync';
import { syncLayoutsFor } from '../../store';
import { useAppStore, useStoreApi } from '../../store/context';

export function KeepInSync({ node, canChooseFolder }: { node: SourceNode | null; canChooseFolder: boolean }) {
  const { t } = useTranslation();
  const draft = useAppStore((s) => s.syncDraftNodeId);
  const a = useStoreApi().getState();
  const [layout, setLayout] = useState<SyncLayout | null>(null);
  const [ignoreDeletes, setIgnoreDeletes] = useState(false);
  const layouts = syncLayoutsFor(node);
  if (!node || layouts.length === 0) return null;
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
  const create = (chooseFolder: boolean) =>
    void a.createSyncPair(node.id, { layout: chosen, ignoreLocalDeletes: ignoreDeletes, chooseFolder });
  return (
    <form
      className="sync-draft"
      aria-label={t('sync.keep')}
      onSubmit={(e) => {
        e.preventDefault();
        create(false);
      }}
    >
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
      <label>
        <input type="checkbox" checked={ignoreDeletes} onChange={(e) => setIgnoreDeletes(e.target.checked)} />
        {t('sync.ignoreDeletes')}
      </label>
      <p className="muted">{t('sync.defaultFolder')}</p>
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
