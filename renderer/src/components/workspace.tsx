/**
 * The Sources tree beside the Details pane, split by a handle the user can drag (or move with the
 * arrow keys). The pane can be hidden (toolbar toggle); its width and whether it is shown are
 * remembered (localStorage). Hidden, it keeps no width and nothing in it can take the focus.
 */
import type { ReactNode } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';
import { useTranslation } from 'react-i18next';
import { detailsShownSchema } from '../../../shared/model/layout';
import { usePanelOpen } from './use-panel-open';
import { useStoredState } from './use-stored-state';
import './workspace.css';

export const DETAILS_SHOWN_KEY = 'poweron.layout.detailsShown';
const WORKSPACE_LAYOUT_ID = 'poweron.layout.workspace';

export function useDetailsShown(): [boolean, (shown: boolean) => void] {
  return useStoredState(DETAILS_SHOWN_KEY, detailsShownSchema, true);
}

export interface WorkspaceProps {
  sources: ReactNode;
  details: ReactNode;
  detailsShown: boolean;
  /** Overlays that belong to the workspace (live regions, menus, dialogs). */
  children?: ReactNode;
}

export function Workspace({ sources, details, detailsShown, children }: WorkspaceProps) {
  const { t } = useTranslation();
  const panel = usePanelOpen(detailsShown);
  const saved = useDefaultLayout({
    id: WORKSPACE_LAYOUT_ID,
    ...(typeof localStorage === 'undefined' ? {} : { storage: localStorage }),
  });
  return (
    <main className="workspace">
      <Group
        orientation="horizontal"
        className="workspace-group"
        defaultLayout={saved.defaultLayout}
        onLayoutChanged={saved.onLayoutChanged}
      >
        <Panel id="sources" minSize="240px" className="workspace-sources">
          {sources}
        </Panel>
        <Separator
          className="resize-handle resize-handle--beside"
          disabled={!detailsShown}
          aria-label={t('sources.resizeDetails')}
        />
        <Panel
          id="details"
          panelRef={panel}
          collapsible
          collapsedSize="0px"
          defaultSize={detailsShown ? '25%' : '0px'}
          minSize="200px"
          maxSize="60%"
          className="workspace-details"
        >
          {detailsShown && details}
        </Panel>
      </Group>
      {children}
    </main>
  );
}
