/**
 * The preview in Details (issue 24.3): a picture of the selected image, PDF or video, asked for
 * only once the selection has rested on it (`SETTLE_MS`; main caches it on disk, so coming back costs
 * no request), shown from a `data:` URL (the CSP allows data: images; no path or URL reaches the
 * page). "Larger preview" (or Space in the tree) opens the large one (preview-dialog.tsx).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceNode } from '../../../../shared/model/sources';
import { useStoreApi } from '../../store/context';
import { SETTLE_MS, isPreviewable } from './file-kinds';
import { useSettled } from './use-settled';
import './details-extras.css';

interface Shown {
  id: string;
  url: string | null;
}

export function PreviewPane({ node }: { node: SourceNode | null }) {
  const { t } = useTranslation();
  const a = useStoreApi().getState();
  const previewable = isPreviewable(node);
  const settled = useSettled(previewable ? node.id : null, SETTLE_MS);
  const [shown, setShown] = useState<Shown | null>(null);
  useEffect(() => {
    if (!settled) return;
    let live = true;
    void a.loadPreview(settled, 'small').then((url) => {
      if (live) setShown({ id: settled, url });
    });
    return () => {
      live = false;
    };
  }, [a, settled]);
  if (!previewable) return null;
  const mine = shown?.id === node.id ? shown : null;
  return (
    <figure className="details-preview" aria-busy={!mine}>
      <div className="details-preview-box">
        {mine?.url ? (
          <img src={mine.url} alt={t('fileExtras.previewAlt', { name: node.name })} />
        ) : (
          <p className="muted">{mine ? t('fileExtras.previewNone') : t('fileExtras.previewLoading')}</p>
        )}
      </div>
      {mine?.url && (
        <button type="button" onClick={() => a.openPreview(node.id)}>
          {t('fileExtras.previewLarger')}
        </button>
      )}
    </figure>
  );
}
