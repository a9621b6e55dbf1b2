/**
 * The larger preview (issue 24.3): opened by Space on the one selected file in the tree (as Quick
 * Look does) or by "Larger preview" in Details; Escape or Close shuts it and the focus goes back to
 * where it was (modal.tsx). It shows the small picture at once (main has it cached: no request),
 * then the large one.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore, useStoreApi } from '../../store/context';
import { Modal } from '../modal';
import './details-extras.css';

export function PreviewDialog() {
  const { t } = useTranslation();
  const open = useAppStore((s) => s.previewOpen);
  const node = useAppStore((s) => (s.previewOpen ? s.tree.getNode(s.previewOpen) : undefined));
  const a = useStoreApi().getState();
  const [picture, setPicture] = useState<{ id: string; url: string | null; large: boolean } | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    void (async () => {
      const small = await a.loadPreview(open, 'small');
      if (live) setPicture({ id: open, url: small, large: false });
      const large = await a.loadPreview(open, 'large');
      if (live && large) setPicture({ id: open, url: large, large: true });
    })();
    return () => {
      live = false;
    };
  }, [a, open]);
  if (!open || !node) return null;
  const mine = picture?.id === open ? picture : null;
  return (
    <Modal
      title={t('fileExtras.previewTitle', { name: node.name })}
      onClose={a.closePreview}
      className="preview-dialog"
    >
      <div className="preview-dialog-box" aria-busy={!mine?.large}>
        {mine?.url ? (
          <img src={mine.url} alt={t('fileExtras.previewAlt', { name: node.name })} />
        ) : (
          <p className="muted">{mine ? t('fileExtras.previewNone') : t('fileExtras.previewLoading')}</p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" autoFocus onClick={a.closePreview}>
          {t('fileExtras.previewClose')}
        </button>
      </div>
    </Modal>
  );
}
