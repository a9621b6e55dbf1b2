/** One row of the Sources tree: a node (name, badges, size, date) or a status row (Loading…, error with Retry, Empty). */
import { memo } from 'react';
import type { CSSProperties, ReactElement } from 'react';
import type { AppError } from '../../../../shared/model/errors';
import type { SourceNode } from '../../../../shared/model/sources';
import type { VisibleRow } from '../../store/tree/model';
import type { TreeLabels } from './tree-strings';
import { displayName, stateDetail } from './tree-strings';
import { counted, formatDateTime, formatSize, interpolate } from './format';
import { formatNumber } from '../../i18n/locale';
import type { TreeLocale } from './format';
import { Glyph, NodeIcon } from './icons';

export interface RowProps {
  row: VisibleRow;
  index: number;
  start: number;
  selected: boolean;
  tabbable: boolean;
  labels: TreeLabels;
  locale: TreeLocale;
  errorText: (error: AppError) => string;
  baseId: string;
  /** Drag-out state of the node ("Preparing… 40 %", "Ready to drag"), when there is one. */
  dragText?: string | undefined;
  /** The local folder of the sync pair that keeps this node, when one does: a "Synced" badge. */
  syncedTo?: string | undefined;
}

const BADGES = { maintenance: 'maintenance', locked: 'lock', disabled: 'error', error: 'error' } as const;

export const TreeRow = memo(function TreeRow(props: RowProps): ReactElement {
  return props.row.kind === 'status' ? <StatusRow {...props} /> : <NodeRow {...props} />;
});

function rowPosition({ row, index, start }: RowProps) {
  return {
    style: { transform: `translateY(${start}px)` } as CSSProperties,
    indent: { '--st-level': row.level } as CSSProperties,
    aria: {
      'data-index': index,
      'aria-level': row.level,
      'aria-setsize': row.setSize,
      'aria-posinset': row.posInSet,
    },
  };
}

/** Loading…, an error with Retry, or Empty. */
function StatusRow(props: RowProps): ReactElement {
  const { row, tabbable, labels, errorText } = props;
  const { style, indent, aria } = rowPosition(props);
  const text =
    row.status === 'error'
      ? interpolate(labels.loadFailed, { message: row.error ? errorText(row.error) : labels.error })
      : row.status === 'empty'
        ? labels.empty
        : row.waitSeconds
          ? interpolate(labels.waiting, { seconds: row.waitSeconds })
          : labels.loading;
  return (
    <div
      role="treeitem"
      className={`st-row st-grid st-row--status st-row--${row.status ?? 'loading'}`}
      style={style}
      {...aria}
      aria-label={text}
      tabIndex={tabbable ? 0 : -1}
    >
      <span className="st-cell st-name" style={indent}>
        <span className="st-chevron" aria-hidden="true" />
        {row.status === 'loading' ? <span className="st-spinner" aria-hidden="true" /> : null}
        {row.status === 'error' ? <Glyph name="error" className="st-icon st-icon--error" /> : null}
        <span className="st-label">{text}</span>
        {row.status === 'error' ? (
          <button type="button" className="st-retry" data-action="retry" tabIndex={tabbable ? 0 : -1}>
            {labels.retry}
          </button>
        ) : null}
      </span>
    </div>
  );
}

/** Ids of the row's described parts, and the aria-describedby list of those that are shown. */
function describedParts(props: RowProps, node: SourceNode, size: string, modified: string) {
  const { baseId, index, dragText, syncedTo } = props;
  const ids = {
    kind: `${baseId}-kind${index}`,
    state: `${baseId}-st${index}`,
    subtitle: `${baseId}-sub${index}`,
    size: `${baseId}-sz${index}`,
    modified: `${baseId}-mod${index}`,
    drag: `${baseId}-drag${index}`,
    synced: `${baseId}-sync${index}`,
  };
  const describedBy = [
    SAID_KINDS.has(node.kind) ? ids.kind : '',
    node.state ? ids.state : '',
    syncedTo ? ids.synced : '',
    dragText ? ids.drag : '',
    node.subtitle ? ids.subtitle : '',
    size ? ids.size : '',
    modified ? ids.modified : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { ids, describedBy };
}

/**
 * Kinds whose rows say what they are: an account and its drive often share a name ("Muster AG"), so
 * they are read as "Muster AG, Account" and "Muster AG, Drive" (the description, first).
 */
const SAID_KINDS: ReadonlySet<string> = new Set(['account', 'drive']);

/** Unread counts beside a mailbox or mail folder: read as "4 unread", shown as "4". */
const UNREAD_KINDS: ReadonlySet<string> = new Set(['mailbox', 'mailfolder']);

function Subtitle({
  id,
  node,
  labels,
  locale,
}: {
  id: string;
  node: SourceNode;
  labels: TreeLabels;
  locale: TreeLocale;
}) {
  const unread = UNREAD_KINDS.has(node.kind) && /^\d+$/.test(node.subtitle ?? '') ? Number(node.subtitle) : null;
  if (unread === null)
    return (
      <span id={id} className="st-subtitle">
        {node.subtitle}
      </span>
    );
  const said = counted(labels.unread, unread, locale);
  return (
    <span className="st-subtitle st-unread" title={said}>
      <span aria-hidden="true">{formatNumber(unread, locale)}</span>
      <span id={id} className="st-sr-only">
        {said}
      </span>
    </span>
  );
}

function rowClasses(row: VisibleRow, node: SourceNode, selected: boolean): string {
  const classes = ['st-row', 'st-grid'];
  if (selected) classes.push('st-row--selected');
  if (node.state) classes.push(`st-row--${node.state.kind}`);
  if (row.matchesFilter === false) classes.push('st-row--context');
  return classes.join(' ');
}

/** "Synced": the node is a sync pair's remote folder; read as "Synced, kept in sync with <folder>". */
function SyncedBadge({ id, path, labels }: { id: string; path: string; labels: TreeLabels }) {
  const said = interpolate(labels.syncedTo, { path });
  return (
    <span id={id} className="st-badge st-badge--synced" title={said}>
      <Glyph name="synced" className="st-badge-icon" />
      {/* One text for screen readers (a flex item each would read "Synced , kept…"). */}
      <span aria-hidden="true">{labels.synced}</span>
      <span className="st-sr-only">{`${labels.synced}, ${said}`}</span>
    </span>
  );
}

/** A node: chevron, icon, name, subtitle, state badge, synced badge, drag state; size and date columns. */
function NodeRow(props: RowProps): ReactElement {
  const { row, selected, tabbable, labels, locale, dragText, syncedTo, errorText } = props;
  const { style, indent, aria } = rowPosition(props);
  const { node } = row;
  const state = node.state;
  const disabled = state?.kind === 'disabled';
  const detail = state ? stateDetail(state, locale, errorText) : '';
  const size = node.kind === 'folder' ? '' : formatSize(node.size, locale);
  const modified = formatDateTime(node.modifiedAt, locale);
  // The accessible name is the node's name; the description carries the state, subtitle, size and date.
  const { ids, describedBy } = describedParts(props, node, size, modified);
  return (
    <div
      role="treeitem"
      className={rowClasses(row, node, selected)}
      style={style}
      {...aria}
      aria-expanded={row.expanded}
      aria-selected={selected}
      aria-busy={row.loading || undefined}
      aria-disabled={disabled || undefined}
      aria-label={displayName(node, labels)}
      aria-describedby={describedBy || undefined}
      title={state ? detail || labels[state.kind] : undefined}
      tabIndex={tabbable ? 0 : -1}
      draggable={node.downloadable && !disabled ? true : undefined}
    >
      <span className="st-cell st-name" style={indent}>
        <span className="st-chevron" data-action={row.expanded !== undefined ? 'toggle' : undefined} aria-hidden="true">
          {row.expanded !== undefined ? <Glyph name="chevron" className="st-chevron-glyph" /> : null}
        </span>
        <NodeIcon node={node} />
        <span className="st-label">{displayName(node, labels)}</span>
        {SAID_KINDS.has(node.kind) ? (
          <span id={ids.kind} className="st-sr-only">
            {labels.kinds[node.kind]}
          </span>
        ) : null}
        {node.subtitle ? <Subtitle id={ids.subtitle} node={node} labels={labels} locale={locale} /> : null}
        {state ? (
          <span id={ids.state} className={`st-badge st-badge--${state.kind}`}>
            <Glyph name={BADGES[state.kind]} className="st-badge-icon" />
            {labels[state.kind]}
            {detail ? <span className="st-sr-only">{`: ${detail}`}</span> : null}
          </span>
        ) : null}
        {syncedTo ? <SyncedBadge id={ids.synced} path={syncedTo} labels={labels} /> : null}
        {row.loading ? <span className="st-spinner" aria-hidden="true" /> : null}
        {dragText ? (
          <span id={ids.drag} className="st-drag">
            {dragText}
          </span>
        ) : null}
      </span>
      <span id={size ? ids.size : undefined} className="st-cell st-size">
        {size}
      </span>
      <span id={modified ? ids.modified : undefined} className="st-cell st-modified">
        {modified}
      </span>
    </div>
  );
}
