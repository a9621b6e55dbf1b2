/** Details of the selected Sources node: type, size, dates, format, state, and main's `details` facts. */
import { useId } from 'react';
import type { ReactElement } from 'react';
import type { SourceNode } from '../../../../shared/model/sources';
import type { TreeLabels } from './treeStrings';
import { displayName, stateText } from './treeStrings';
import { formatDateTime, formatSize, interpolate } from './format';
import type { TreeLocale } from './format';
import './tree.css';

export interface DetailsPaneProps {
  /** The selected node (null: nothing, or several, selected). */
  node: SourceNode | null;
  /** Number of selected nodes; above 1 the pane says how many instead of showing one node. */
  selectedCount: number;
  labels: TreeLabels;
  locale: TreeLocale;
  headingLevel?: 2 | 3 | 4;
  className?: string;
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
  labels,
  locale,
  headingLevel = 2,
  className,
}: DetailsPaneProps): ReactElement {
  const headingId = useId();
  const d = labels.details;
  const Heading = `h${headingLevel}` as 'h2';

  let body: ReactElement;
  if (selectedCount > 1) {
    body = <p>{interpolate(d.multipleSelected, { count: selectedCount })}</p>;
  } else if (!node) {
    body = <p>{d.noSelection}</p>;
  } else {
    const facts: [string, string][] = [
      [d.name, displayName(node, labels)],
      [d.kind, labels.kinds[node.kind] ?? node.kind],
    ];
    if (node.size !== undefined && node.kind !== 'folder') facts.push([d.size, formatSize(node.size, locale)]);
    if (node.modifiedAt !== undefined) facts.push([d.modified, formatDateTime(node.modifiedAt, locale)]);
    if (node.createdAt !== undefined) facts.push([d.created, formatDateTime(node.createdAt, locale)]);
    if (node.mimeType) facts.push([d.mimeType, node.mimeType]);
    if (node.childCount !== undefined) facts.push([d.items, new Intl.NumberFormat(locale).format(node.childCount)]);
    if (node.state) facts.push([d.status, stateText(node.state, labels, locale)]);
    for (const [key, value] of Object.entries(node.details ?? {})) {
      if (value === '') continue;
      facts.push([d.keys[key] ?? key, formatFact(key, value, locale)]);
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
