/** The toolbar above the Sources tree: filter, Refresh, Download (and Download to…), Details shown or hidden. */
import { useId, useState } from 'react';
import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore, useStoreApi } from '../store/context';
import type { SelectionInfo } from './use-selection-info';

export interface SourcesToolbarProps {
  /** The filter field (Ctrl/Cmd+F focuses it). */
  filterRef: RefObject<HTMLInputElement | null>;
  selection: SelectionInfo;
  detailsShown: boolean;
  onDetailsShown(shown: boolean): void;
}

export function SourcesToolbar({ filterRef, selection, detailsShown, onDetailsShown }: SourcesToolbarProps) {
  const { t } = useTranslation();
  const filter = useAppStore((s) => s.filter);
  const chooseFolder = useAppStore((s) => s.info?.capabilities.chooseFolder ?? false);
  const a = useStoreApi().getState();
  const [filterText, setFilterText] = useState(filter);
  // The filter changed elsewhere (Show in tree clears one that hides its item): the field follows.
  const [shownFilter, setShownFilter] = useState(filter);
  if (filter !== shownFilter) {
    setShownFilter(filter);
    setFilterText(filter);
  }
  const whyId = useId();
  const { downloadable, whyNoDownload } = selection;
  return (
    <div className="toolbar">
      <h2 id="sources-heading" className="visually-hidden">
        {t('app.sources')}
      </h2>
      <input
        ref={filterRef}
        type="search"
        className="filter"
        aria-label={t('sources.filter')}
        placeholder={t('sources.filter')}
        value={filterText}
        onChange={(e) => {
          setFilterText(e.target.value);
          a.setFilter(e.target.value);
        }}
      />
      <button type="button" onClick={() => void a.refreshAll()}>
        {t('sources.refresh')}
      </button>
      <button
        type="button"
        className="primary"
        disabled={downloadable.length === 0}
        onClick={() => void a.download(downloadable)}
        title={whyNoDownload || undefined}
        aria-describedby={whyNoDownload ? whyId : undefined}
      >
        {t('sources.download')}
      </button>
      <span id={whyId} className="visually-hidden">
        {whyNoDownload}
      </span>
      {chooseFolder && (
        <button
          type="button"
          disabled={downloadable.length === 0}
          onClick={() => void a.download(downloadable, { chooseTarget: true })}
        >
          {t('sources.downloadTo')}
        </button>
      )}
      <button type="button" aria-pressed={detailsShown} onClick={() => onDetailsShown(!detailsShown)}>
        {t('sources.detailsToggle')}
      </button>
    </div>
  );
}
