/**
 * A kDrive file's earlier versions in Details (issue 24.2): a disclosure, closed at first (listing
 * them costs a request); open, it lists the versions of the file the selection rests on
 * (`SETTLE_MS`) with date, size and who made it, each with "Download this version" (saved beside
 * the file's last download as "name (version 2026-11-03 14.05).ext", progress in Transfers).
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileVersionInfo } from '../../../../shared/model/file-extras';
import type { Result } from '../../../../shared/model/errors';
import type { SourceNode } from '../../../../shared/model/sources';
import { errorText } from '../../i18n';
import { useStoreApi } from '../../store/context';
import { formatDateTime, formatSize } from '../tree';
import { SETTLE_MS, isKdriveFile } from './file-kinds';
import { useSettled } from './use-settled';
import './details-extras.css';

export function VersionsSection({ node }: { node: SourceNode | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const a = useStoreApi().getState();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const file = isKdriveFile(node) ? node : null;
  const settled = useSettled(open && file ? file.id : null, SETTLE_MS);
  const [loaded, setLoaded] = useState<{ id: string; result: Result<FileVersionInfo[]> } | null>(null);
  useEffect(() => {
    if (!settled) return;
    let live = true;
    void a.loadVersions(settled).then((result) => live && setLoaded({ id: settled, result }));
    return () => {
      live = false;
    };
  }, [a, settled]);
  if (!file) return null;
  const result = loaded?.id === file.id ? loaded.result : null;
  return (
    <section className="details-versions">
      <h3>
        <button type="button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
          {t('fileExtras.versions')}
        </button>
      </h3>
      <div id={listId} hidden={!open}>
        {open && !result && <p className="muted">{t('fileExtras.versionsLoading')}</p>}
        {result && !result.ok && (
          <p role="alert">{t('fileExtras.versionsFailed', { message: errorText(result.error) })}</p>
        )}
        {result?.ok && result.value.length === 0 && <p className="muted">{t('fileExtras.versionsNone')}</p>}
        {result?.ok && result.value.length > 0 && (
          <ul className="details-version-list">
            {result.value.map((v) => {
              const date = v.modifiedAt === null ? v.fileName : formatDateTime(v.modifiedAt, locale);
              return (
                <li key={v.nodeId}>
                  <span className="details-version-date">{date}</span>
                  {v.size !== null && <span className="details-version-size">{formatSize(v.size, locale)}</span>}
                  {v.by && <span className="muted">{t('fileExtras.versionBy', { name: v.by })}</span>}
                  {v.current && <span className="muted">({t('fileExtras.versionCurrent')})</span>}
                  <button
                    type="button"
                    aria-label={t('fileExtras.versionDownloadLabel', { date })}
                    onClick={() => void a.downloadVersion(v.nodeId)}
                  >
                    {t('fileExtras.versionDownload')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}
