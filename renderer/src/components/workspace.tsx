/**
 * The Sources tree beside the Details pane, split by a handle the user can drag (or move with the
 * arrow keys). The pane can be hidden (toolbar toggle); its width and whether it is shown are
 * remembered (localStorage). Hidden, it keeps no width and nothing in it can take the focus. In a
 * window narrower than DETAILS_NARROW the pane steps aside first (the tree keeps Name, Size and
 * Modified), until the user shows it again (toolbar, menu, Details command).
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';
import { useTranslation } from 'react-i18next';
import { DEFAULT_COLUMN_WIDTHS, detailsShownSchema } from '../../../shared/model/layout';
import { NAME_MIN, ROW_CHROME } from './columns';
import { usePanelOpen } from './use-panel-open';
import { useStoredState } from './use-stored-state';
import './workspace.css';

export const DETAILS_SHOWN_KEY = 'poweron.layout.detailsShown';
const WORKSPACE_LAYOUT_ID = 'poweron.layout.workspace';

/** The Details pane's least width, and the handle beside it (px). */
const DETAILS_MIN = 200;
const HANDLE = 4;
/** Below this window width the Details pane steps aside: the tree's Name, Size and Modified need the room. */
export const DETAILS_NARROW =
  DETAILS_MIN + HANDLE + NAME_MIN + ROW_CHROME + DEFAULT_COLUMN_WIDTHS.size + DEFAULT_COLUMN_WIDTHS.modified;

/** Whether the window is narrower than `width` (followed as it is resized). */
function useNarrowerThan(width: number): boolean {
  const narrower = () => typeof window !== 'undefined' && window.innerWidth < width;
  const [value, setValue] = useState(narrower);
  useEffect(() => {
    const update = () => setValue(narrower());
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  });
  return value;
}

/**
 * Whether the Details pane shows, and the toolbar's setter. The user's choice is remembered; in a
 * narrow window a remembered "shown" waits until there is room, unless the user asks for the pane
 * now (it then shows, for this session).
 */
export function useDetailsShown(): [boolean, (shown: boolean) => void] {
  const [stored, setStored] = useStoredState(DETAILS_SHOWN_KEY, detailsShownSchema, true);
  const narrow = useNarrowerThan(DETAILS_NARROW);
  const [asked, setAsked] = useState(false);
  const set = (shown: boolean) => {
    setStored(shown);
    setAsked(shown && narrow);
  };
  return [stored && (!narrow || asked), set];
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
  // Only the user's own layout is remembered (not what a small window squeezed it to), and the pane
  // comes back at that width.
  const saved = useDefaultLayout({
    id: WORKSPACE_LAYOUT_ID,
    onlySaveAfterUserInteractions: true,
    ...(typeof localStorage === 'undefined' ? {} : { storage: localStorage }),
  });
  const panel = usePanelOpen(detailsShown, saved.defaultLayout?.details ?? 25);
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
