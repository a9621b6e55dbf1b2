/** Details of the selected Sources node: type, size, dates, format, state, and main's `details` facts. */
import { useId } from 'react';
import type { ReactElement } from 'react';
import type { AppError } from '../../../../shared/model/errors';
import type { SourceNode } from '../../../../shared/model/sources';
import type { TreeLabels } from './tree-strings';
import { displayName, stateText } from './tree-strings';
import { counted, formatDateTime, formatSize } from './format';
import { fileKindWords } from './kind-words';
import type { SelectionTotals } from '../../store/tree/selection-summary';
import type { TreeLocale } from './format';
import './tree.css';

export interface DetailsPaneProps {
  /** The selected node (null: nothing, or several, selected). */
  node: SourceNode | null;
  /** Number of selected nodes; above 1 the pane says how many instead of showing one node. */
  selectedCount: number;
  /** Count and known total size of a multiple selection ("3 items selected, 12 MB"). */
  totals?: SelectionTotals;
  /** Items in the node (folder-like): from the API, or counted once its listing is complete. */
  itemCount?: number;
  /** Where the node is in the tree ("Calendar / Arbeit / Apéro"), shown when it has no path in kDrive. */
  location?: string;
  labels: TreeLabels;
  locale: TreeLocale;
  /** A node's error in the UI's language (the app passes `errorText`). */
  formatError?: (error: AppError) => string;
  headingLevel?: 2 | 3 | 4;
  className?: string;
}

/** A path that wraps at its separators ("/Team/<wbr>Projects/<wbr>…"), not inside names. */
function wrappingPath(path: string): ReactElement {
  const parts = path.split('/');
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 ? (
            <>
              /<wbr />
            </>
          ) : null}
        </span>
      ))}
    </>
  );
}

/** The node's kind in words: "PDF document", "Folder, 12 items". */
function kindText(node: SourceNode, labels: TreeLabels, locale: TreeLocale, itemCount?: number): string {
  const kind =
    node.kind === 'file' ? (fileKindWords(node, locale) ?? labels.kinds.file) : (labels.kinds[node.kind] ?? node.kind);
  if (itemCount === undefined || node.kind === 'file') return kind;
  return counted(labels.details.kindWithItems, itemCount, locale, { kind });
}

function multipleText(
  count: number,
  totals: SelectionTotals | undefined,
  labels: TreeLabels,
  locale: TreeLocale,
): string {
  const d = labels.details;
  if (!totals || totals.bytes === 0) return counted(d.multipleSelected, count, locale);
  const size = formatSize(totals.bytes, locale);
  return counted(totals.sizeUnknown ? d.multipleSelectedAtLeast : d.multipleSelectedSize, count, locale, { size });
}

/** Formats a `quota` fact sent as "used/total" bytes; other values pass through. */
function formatFact(key: string, value: string, locale: TreeLocale): string {
  if (key === 'quota') {
    const m = /^(\d+)\/(\d+)$/.exec(value);
    if (m) return `${formatSize(Number(m[1]), locale)} / ${formatSize(Number(m[2]), locale)}`;
  }
  return value;
}

export function DetailsPane({
  node,
  selectedCount,
  totals,
  itemCount,
  location,
  labels,
  locale,
  formatError,
  headingLevel = 2,
  className,
}: DetailsPaneProps): ReactElement {
  const headingId = useId();
  const d = labels.details;
  const Heading = `h${headingLevel}` as 'h2';

  let body: ReactElement;
  if (selectedCount > 1) {
    body = <p>{multipleText(selectedCount, totals, labels, locale)}</p>;
  } else if (!node) {
    body = <p>{d.noSelection}</p>;
  } else {
    const facts: [string, string | ReactElement][] = [
      [d.name, displayName(node, labels)],
      [d.kind, kindText(node, labels, locale, itemCount ?? node.childCount)],
    ];
    if (node.size !== undefined && node.kind !== 'folder') facts.push([d.size, formatSize(node.size, locale)]);
    if (node.modifiedAt !== undefined) facts.push([d.modified, formatDateTime(node.modifiedAt, locale)]);
    if (node.createdAt !== undefined) facts.push([d.created, formatDateTime(node.createdAt, locale)]);
    if (node.state) facts.push([d.status, stateText(node.state, labels, locale, formatError)]);
    // Where it is: its path in kDrive (below), else its location in the tree, as Copy path copies it.
    if (location && !node.details?.path) facts.push([d.location, location]);
    for (const [key, value] of Object.entries(node.details ?? {})) {
      // The state above says it in words: the API's own status of the same thing is not a second "Status".
      if (value === '' || (key === 'status' && node.state)) continue;
      facts.push([d.keys[key] ?? key, key === 'path' ? wrappingPath(value) : formatFact(key, value, locale)]);
    }
    body = (
      <dl className="st-details-list">
        {facts.map(([term, value], i) => (
          <div key={i} style={{ display: 'contents' }}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    );
  }

  return (
    <section className={className ? `st-details ${className}` : 'st-details'} aria-labelledby={headingId}>
      <Heading id={headingId} className="st-details-title">
        {d.title}
      </Heading>
      {body}
    </section>
  );
}
