import type { ReactNode } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { useTranslation } from 'react-i18next';
import { useAppStore } from './store/context';
import { TransfersPanel } from './components/transfers-panel';
import { usePanelOpen } from './components/use-panel-open';

/** Height of the transfers panel when only its header shows. */
const HEADER_ONLY = '42px';

/**
 * The window below the header: the content above, the transfers panel below, split by a handle the
 * user can drag (or move with the arrow keys) while the panel is open. Hidden, it keeps only its
 * header; the content is never re-mounted by showing or hiding it.
 */
export function AppBody({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const open = useAppStore((s) => s.transfersOpen);
  const transfers = usePanelOpen(open);
  return (
    <Group orientation="vertical" className="app-body">
      <Panel id="content" minSize="120px" className="app-content">
        {children}
      </Panel>
      <Separator className="resize-handle" disabled={!open} aria-label={t('transfers.resize')} />
      <Panel
        id="transfers"
        panelRef={transfers}
        collapsible
        collapsedSize={HEADER_ONLY}
        defaultSize={open ? '30%' : HEADER_ONLY}
        minSize="100px"
        className="app-transfers"
      >
        <TransfersPanel />
      </Panel>
    </Group>
  );
}
