/**
 * The drag-out slice of the store: drag states pushed by main (`drag:states`), the rows of the drag
 * the user started (`draggedIds`: the only rows whose state is shown or announced), the OS drag in
 * Electron, and in the browser host one-time `DownloadURL` links fetched ahead (dragstart must set
 * its data at once).
 *
 * Nothing is staged before a drag begins (issue 22.1): selecting, arrowing, clicking or resting on
 * a row spends no request and no byte. Electron stages when the drag begins (`drag:start`, which
 * waits while the button is held); the browser host's link is only a local token, and the file
 * is fetched when the drop uses it.
 */
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { DragLink, DragState } from '../../../shared/model/drag';
import type { Result } from '../../../shared/model/errors';

/** Links fetched ahead for at most this many files. */
const MAX_LINKS = 8;
/** A link this close to its expiry is not used for a new drag. */
const LINK_MARGIN_MS = 5000;
const MAX_STATES = 2000;

export interface DragSliceState {
  /** Drag state per node id (absent or `idle`: nothing to show). */
  dragStates: ReadonlyMap<string, DragState>;
  /** The rows of the drag the user started (their state is shown and announced); empty: none. */
  draggedIds: readonly string[];
}

export interface DragSliceActions {
  /** From the bridge: states main pushed. */
  applyDragStates(states: DragState[]): void;
  /**
   * The selection changed (`selection`) or the pointer rests on or presses a row (`dwell`): the
   * browser host fetches their drag links ahead. Nothing is staged, nothing asked of Infomaniak.
   */
  prefetchDrag(change: { selection?: string[]; dwell?: string | null }): void;
  /**
   * A drag of these nodes began (dragstart: the pointer passed the drag threshold). Their rows show
   * and announce its state from now on; Electron asks main for the OS drag (staged first while the
   * button is held).
   */
  startDrag(ids: string[]): Promise<void>;
  /** Browser host: `DownloadURL` data for a drag of these ids, if a fresh link for the first is at hand. Single use. */
  takeDownloadUrl(ids: string[]): string | null;
}

export type DragSlice = DragSliceState & DragSliceActions;

interface SliceDeps {
  api(): PowerOnApi | null;
  host(): 'electron' | 'browser' | null;
  /** Whether a node is a file the tree knows (links exist for files only). */
  isFile(id: string): boolean;
  call<T>(run: (api: PowerOnApi) => Promise<Result<T>>): Promise<T | null>;
}

type Set = (partial: Partial<DragSliceState>) => void;
type Get = () => DragSliceState;

export function createDragSlice(set: Set, get: Get, deps: SliceDeps): DragSlice {
  let selection: string[] = [];
  let dwell: string | null = null;
  let drags = 0;
  const links = new Map<string, DragLink>();
  const fetching = new Set<string>();

  const fetchLink = async (id: string): Promise<void> => {
    const api = deps.api();
    const held = links.get(id);
    if (!api || fetching.has(id) || (held && held.expiresAt - LINK_MARGIN_MS > Date.now())) return;
    fetching.add(id);
    try {
      const result = await api.dragLink({ nodeId: id });
      if (result.ok) {
        links.delete(id);
        links.set(id, result.value);
        while (links.size > MAX_LINKS) links.delete(links.keys().next().value as string);
      }
    } finally {
      fetching.delete(id);
    }
  };

  const applyDragStates = (states: DragState[]): void => {
    const next = new Map(get().dragStates);
    for (const s of states) {
      next.delete(s.nodeId);
      if (s.state !== 'idle') next.set(s.nodeId, s);
    }
    while (next.size > MAX_STATES) next.delete(next.keys().next().value as string);
    set({ dragStates: next });
  };

  return {
    dragStates: new Map(),
    draggedIds: [],
    applyDragStates,

    prefetchDrag(change) {
      if (deps.host() !== 'browser') return;
      if (change.selection) selection = change.selection.filter(deps.isFile).slice(0, MAX_LINKS);
      if (change.dwell !== undefined) dwell = change.dwell;
      const ids = [...new Set(dwell ? [dwell, ...selection] : selection)];
      for (const id of ids.filter(deps.isFile).slice(0, MAX_LINKS)) void fetchLink(id);
    },

    async startDrag(ids) {
      drags += 1;
      const mine = drags;
      set({ draggedIds: ids });
      const api = deps.api();
      if (!api || deps.host() !== 'electron') return;
      const dragId = `drag-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      // Main may wait for staging while the button is held; letting go (or leaving the window) ends that wait.
      const release = () => void api.dragRelease({ dragId });
      window.addEventListener('mouseup', release, { once: true });
      window.addEventListener('blur', release, { once: true });
      const outcome = await deps.call((a) => a.dragStart({ nodeIds: ids, dragId }));
      window.removeEventListener('mouseup', release);
      window.removeEventListener('blur', release);
      // The OS drag runs: nothing more to say on the rows. Released early, too large or failed:
      // the rows keep saying how it goes ("Ready to drag" once staged, "Save to…", the failure).
      if (outcome?.outcome === 'started' && drags === mine) set({ draggedIds: [] });
    },

    takeDownloadUrl(ids) {
      const [first] = ids;
      if (!first) return null;
      const link = links.get(first);
      links.delete(first);
      void fetchLink(first); // the next drag of it needs a new one
      return link && link.expiresAt - LINK_MARGIN_MS > Date.now() ? link.downloadUrl : null;
    },
  };
}
