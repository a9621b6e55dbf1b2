/**
 * The Sources tree with its resizable column header: measures the space it has, hides columns that
 * have nothing to show or no room (Name keeps at least NAME_MIN px), and remembers the widths the
 * user chose (localStorage). Rows a sync pair keeps carry a "Synced" badge.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_COLUMN_WIDTHS, columnWidthsSchema } from '../../../shared/model/layout';
import type { ColumnId } from '../../../shared/model/layout';
import { SourcesTree } from './tree';
import type { SourcesTreeProps } from './tree';
import { ColumnHeader } from './column-header';
import { filledColumns, maxWidth, planColumns } from './columns';
import { useAppStore } from '../store/context';
import { useStoredState } from './use-stored-state';

export const COLUMNS_KEY = 'poweron.layout.columns';

/** The element's content width, kept up to date (null until measured, and where nothing measures). */
function useWidth(): [RefObject<HTMLDivElement | null>, number | null] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth > 0 ? el.clientWidth : null));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function TreeArea(props: SourcesTreeProps) {
  const { t } = useTranslation();
  const sort = useAppStore((s) => s.sort);
  const sortBy = useAppStore((s) => s.sortBy);
  // The tree marks the folders sync pairs keep ("Synced"): a second pair on them is refused. A
  // string selector, so a run's progress (new pair objects) does not render the tree again.
  const synced = useAppStore((s) => JSON.stringify(s.syncPairs.map((p) => [p.pair.nodeId, p.pair.localPath])));
  const syncedTo = useMemo(() => new Map(JSON.parse(synced) as [string, string][]), [synced]);
  const [widths, setWidths] = useStoredState(COLUMNS_KEY, columnWidthsSchema, DEFAULT_COLUMN_WIDTHS);
  const [ref, available] = useWidth();
  const filled = useMemo(() => filledColumns(props.rows), [props.rows]);
  const plan = planColumns(widths, filled, available);
  const max = { size: maxWidth('size', plan, available), modified: maxWidth('modified', plan, available) };
  const onResize = (column: ColumnId, width: number) => setWidths({ ...widths, [column]: width });
  const style = { '--st-col-size': `${plan.size}px`, '--st-col-modified': `${plan.modified}px` } as CSSProperties;
  const { labels } = props;
  const header = (
    <ColumnHeader
      plan={plan}
      max={max}
      labels={{
        name: labels.columnName,
        size: labels.columnSize,
        modified: labels.columnModified,
        columns: t('sources.columns'),
      }}
      resizeLabels={{
        size: t('sources.resizeColumn', { column: labels.columnSize }),
        modified: t('sources.resizeColumn', { column: labels.columnModified }),
      }}
      onResize={onResize}
      sort={sort}
      onSort={sortBy}
    />
  );
  return (
    <div ref={ref} className="tree-area" style={style}>
      <SourcesTree {...props} syncedTo={syncedTo} header={header} />
    </div>
  );
}
