import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import type { PowerOnApi } from '../../../../shared/ipc/api';
import { EMPTY_COUNTS } from '../../../../shared/model/sync';
import type { SyncPairStatus } from '../../../../shared/model/sync';
import { initI18n, setLanguage } from '../../i18n';
import { createAppStore } from '../../store';
import { StoreProvider } from '../../store/context';
import { HeldQuestion, SkippedItems } from './held-question';

afterEach(cleanup);
beforeAll(async () => {
  await initI18n('en');
});

function withStore(node: ReactNode, api: Partial<PowerOnApi> = {}) {
  const store = createAppStore();
  store.setState({ api: api as PowerOnApi });
  return render(<StoreProvider store={store}>{node}</StoreProvider>);
}

function status(patch: Partial<SyncPairStatus> = {}): SyncPairStatus {
  return {
    pair: {
      id: 'p1',
      connectionId: 'c',
      nodeId: 'conn:c/kdrive/drive:1/f:2',
      kind: 'kdrive',
      layout: 'tree',
      name: 'Projects',
      localPath: '/home/me/Projects',
      ignoreLocalDeletes: false,
      paused: false,
      createdAt: 0,
    },
    state: 'attention',
    progress: null,
    lastRun: null,
    nextRunAt: null,
    error: null,
    held: null,
    ...patch,
  };
}

describe('the held question in the pair row (21.2)', () => {
  it('asks with the numbers and sends the answer through the contract', async () => {
    const syncDecide = vi.fn(async () => ({ ok: true as const, value: undefined }));
    withStore(<HeldQuestion status={status({ held: { reason: 'mass', count: 1240, total: 1300 } })} />, {
      syncDecide,
    } as unknown as Partial<PowerOnApi>);
    const group = screen.getByRole('group', {
      name: "Infomaniak reports 1,240 files removed from 'Projects'. Move them to the trash here?",
    });
    await userEvent.click(within(group).getByRole('button', { name: 'Keep them and pause the pair' }));
    expect(syncDecide).toHaveBeenCalledWith({ id: 'p1', choice: 'keep' });
    await userEvent.click(within(group).getByRole('button', { name: 'Move them to the trash' }));
    expect(syncDecide).toHaveBeenLastCalledWith({ id: 'p1', choice: 'confirm' });
  });

  it('in German, and for an empty folder', async () => {
    await setLanguage('de');
    withStore(<HeldQuestion status={status({ held: { reason: 'empty', count: 1500, total: 1500 } })} />);
    expect(
      screen.getByRole('group', {
        // de-CH groups with an apostrophe (the runtime's CLDR picks which one).
        name: /^„Projects“ ist hier leer, enthielt aber 1['’]500 Dateien\. Ist das Laufwerk verbunden\? Erneut herunterladen\?$/,
      }),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Paar pausieren' })).toBeTruthy();
    await setLanguage('en');
  });

  it('nothing held: nothing shown; the skipped items of the last run are listed with their paths', () => {
    const { container } = withStore(<HeldQuestion status={status({ state: 'idle' })} />);
    expect(container.textContent).toBe('');
    const lastRun = {
      startedAt: 0,
      finishedAt: 1,
      ok: false,
      counts: { ...EMPTY_COUNTS, failed: 1 },
      via: 'listing' as const,
      requests: 1,
      errors: [
        {
          code: 'unsafe_path' as const,
          message: '"Docs" is a link or a junction, so nothing was written through it.',
          details: { path: 'Docs' },
        },
      ],
    };
    withStore(<SkippedItems status={status({ lastRun })} />);
    const list = screen.getByRole('list', { name: 'Not synced in the last run' });
    expect(within(list).getByRole('listitem').textContent).toBe(
      'Docs: “Docs” is a link or a junction, so nothing was written through it. Move it away (or put the real folder back), then try again.',
    );
  });
});
