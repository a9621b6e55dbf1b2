/**
 * Under the filter: what it searches ("only the items loaded so far") and the offer to search the
 * current folder's whole subtree on the server, with the matches as a flat list (name and path);
 * each can be shown in the tree or downloaded. The current folder is the focused kDrive folder or
 * drive, or the folder of the focused file.
 */
import { useTranslation } from 'react-i18next';
import type { SourceNode } from '../../../../shared/model/sources';
import type { SearchHit } from '../../../../shared/model/search';
import { errorText } from '../../i18n';
import type { SearchTarget } from '../../store';
import { useAppStore, useStoreApi } from '../../store/context';
import type { TreeModel } from '../../store/tree/snapshot';
import { focusTabStop } from '../tree';
import './search.css';

const SEARCHABLE = new Set(['drive', 'folder']);

function searchable(node: SourceNode | undefined): boolean {
  return node !== undefined && node.service === 'kdrive' && SEARCHABLE.has(node.kind) && node.expandable;
}

/** The folder a server search runs in, from the focused row. */
export function searchTarget(tree: TreeModel, focusedId: string | null): SearchTarget | null {
  const node = focusedId ? tree.getNode(focusedId) : undefined;
  if (node && searchable(node)) return { id: node.id, name: node.name };
  const parent = node?.parentId ? tree.getNode(node.parentId) : undefined;
  return parent && searchable(parent) ? { id: parent.id, name: parent.name } : null;
}

export function FilterScope() {
  const { t } = useTranslation();
  const app = useStoreApi();
  const filter = useAppStore((s) => s.filter);
  const tree = useAppStore((s) => s.tree);
  const focusedId = useAppStore((s) => s.focusedId);
  const status = useAppStore((s) => s.search.status);
  const query = filter.trim();
  if (query === '' && status === 'idle') return null;
  const target = searchTarget(tree, focusedId);
  return (
    <div className="filter-scope">
      {query !== '' && (
        <p className="muted">
          {t('sources.filterScope')}{' '}
          {target && status !== 'searching' && (
            <button type="button" className="link" onClick={() => void app.getState().startSearch(target, query)}>
              {t('search.run', { folder: target.name })}
            </button>
          )}
        </p>
      )}
      {status !== 'idle' && <SearchResults />}
    </div>
  );
}

function SearchResults() {
  const { t } = useTranslation();
  const app = useStoreApi();
  const { status, target, query, result, error } = useAppStore((s) => s.search);
  const folder = target?.name ?? '';
  const summary =
    status === 'searching'
      ? t('search.searching', { folder })
      : status === 'failed'
        ? t('search.failed', { message: error ? errorText(error) : '' })
        : result && result.hits.length === 0
          ? t('search.none', { folder, query })
          : t('search.found', { count: result?.hits.length ?? 0, folder });
  return (
    <section className="server-search" aria-label={t('search.results')}>
      <div className="server-search-head">
        <p role="status">{summary}</p>
        <button type="button" onClick={() => app.getState().closeSearch()}>
          {status === 'searching' ? t('search.cancel') : t('search.close')}
        </button>
      </div>
      {result?.truncated && <p className="muted">{t('search.truncated', { count: result.hits.length })}</p>}
      {result && result.hits.length > 0 && (
        <ul className="server-search-list">
          {result.hits.map((hit) => (
            <HitRow key={hit.node.id} hit={hit} />
          ))}
        </ul>
      )}
    </section>
  );
}

function HitRow({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  const app = useStoreApi();
  const name = hit.node.name;
  const reveal = async () => {
    // The revealed row holds the tree's tab stop: bring it into view and give it focus.
    if (await app.getState().revealHit(hit)) focusTabStop(true);
  };
  return (
    <li className="server-search-hit">
      <span className="server-search-name">{name}</span>
      <span className="server-search-path muted">{hit.path}</span>
      <button type="button" aria-label={t('search.revealLabel', { name })} onClick={() => void reveal()}>
        {t('search.reveal')}
      </button>
      <button
        type="button"
        aria-label={t('search.downloadLabel', { name })}
        onClick={() => void app.getState().downloadHit(hit)}
      >
        {t('search.download')}
      </button>
    </li>
  );
}
