import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyncActionKind, SyncPlanItem, SyncPlanSummary } from '../../../../shared/model/sync';
import { initI18n, setLanguage } from '../../i18n';
import { SyncPreview, verbOf } from './sync-preview';

afterEach(cleanup);
beforeAll(async () => {
  await initI18n('en');
});

const zero = (): Record<SyncActionKind, number> => ({
  mkdir: 0,
  download: 0,
  update: 0,
  conflict: 0,
  adopt: 0,
  move: 0,
  trash: 0,
  forget: 0,
  rmdir: 0,
  keep: 0,
});

function summary(items: SyncPlanItem[], extra: Partial<Record<SyncActionKind, number>> = {}): SyncPlanSummary {
  const counts = zero();
  for (const i of items) counts[i.kind]++;
  for (const [k, n] of Object.entries(extra)) counts[k as SyncActionKind] += n;
  return { pairId: 'p1', counts, bytes: 0, items, truncated: Object.keys(extra).length > 0 };
}

describe('SyncPreview', () => {
  it('lists the planned changes with their paths in a named list', async () => {
    let dismissed = 0;
    render(
      <SyncPreview
        preview={summary([
          { kind: 'mkdir', path: 'New' },
          { kind: 'download', path: 'New/a.txt', size: 1_234_567 },
          { kind: 'update', path: 'notes.txt', size: 20 },
          { kind: 'move', path: 'big.bin', to: 'big-renamed.bin' },
          { kind: 'move', path: 'Sub/deep.txt', to: 'deep.txt' },
          { kind: 'trash', path: 'plan.txt' },
          { kind: 'conflict', path: 'edit.txt', to: 'edit (kDrive conflict 2026-11-29).txt', size: 5 },
          { kind: 'adopt', path: 'same.txt' },
        ])}
        onDismiss={() => dismissed++}
      />,
    );
    const list = screen.getByRole('list', { name: 'Planned changes' });
    const lines = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lines).toEqual([
      'Download New/a.txt (1.2 MB)',
      'Update notes.txt (20 B)',
      'Rename big.bin → big-renamed.bin',
      'Move Sub/deep.txt → deep.txt',
      'To trash plan.txt',
      'Conflict edit.txt → edit (kDrive conflict 2026-11-29).txt (5 B)',
    ]);
    expect(screen.queryByText(/and \d+ more/)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(dismissed).toBe(1);
  });

  it('shows the first 200 and "and N more" (the service sends at most 500 items)', async () => {
    const items = Array.from({ length: 500 }, (_, i): SyncPlanItem => ({
      kind: 'download',
      path: `f-${i}.txt`,
      size: 1,
    }));
    render(<SyncPreview preview={summary(items, { download: 19_510 })} onDismiss={() => undefined} />);
    expect(within(screen.getByRole('list', { name: 'Planned changes' })).getAllByRole('listitem')).toHaveLength(200);
    expect(screen.getByText('and 19,810 more')).toBeTruthy();
  });

  it('says so when there is nothing to do, and speaks German', async () => {
    await setLanguage('de');
    try {
      render(<SyncPreview preview={summary([{ kind: 'adopt', path: 'x' }])} onDismiss={() => undefined} />);
      expect(screen.getByText('Nichts zu tun: Der Ordner ist aktuell.')).toBeTruthy();
      cleanup();
      const items = Array.from({ length: 201 }, (_, i): SyncPlanItem => ({ kind: 'trash', path: `t-${i}` }));
      render(<SyncPreview preview={summary(items)} onDismiss={() => undefined} />);
      expect(screen.getByRole('list', { name: 'Geplante Änderungen' })).toBeTruthy();
      expect(screen.getByText('und 1 weiteres Element')).toBeTruthy();
      cleanup();
      render(<SyncPreview preview={summary(items, { trash: 2_000 })} onDismiss={() => undefined} />);
      expect(screen.getByText(/^und 2\D?001 weitere Elemente$/)).toBeTruthy();
    } finally {
      await setLanguage('en');
    }
  });

  it('calls a move within one folder a rename', () => {
    expect(verbOf({ kind: 'move', path: 'a/b.txt', to: 'a/c.txt' })).toBe('rename');
    expect(verbOf({ kind: 'move', path: 'a/b.txt', to: 'b.txt' })).toBe('move');
    expect(verbOf({ kind: 'move', path: 'b.txt', to: 'c.txt' })).toBe('rename');
  });

  it('says what the run costs in requests, and how long at 60 a minute (English and German)', async () => {
    const withCost = (requests: number) => ({ ...summary([{ kind: 'download', path: 'a', size: 1 }]), requests });
    render(<SyncPreview preview={withCost(1000)} onDismiss={() => undefined} />);
    expect(
      screen.getByText('It takes at least 1,000 requests to Infomaniak: at 60 a minute, about 17 minutes.'),
    ).toBeTruthy();
    cleanup();
    render(<SyncPreview preview={withCost(1)} onDismiss={() => undefined} />);
    expect(screen.getByText('It takes at least 1 request to Infomaniak.')).toBeTruthy();
    cleanup();
    render(<SyncPreview preview={withCost(20_000)} onDismiss={() => undefined} />);
    expect(screen.getByText(/20,000 requests .* about 6 hours\.$/)).toBeTruthy();
    cleanup();
    render(<SyncPreview preview={withCost(0)} onDismiss={() => undefined} />);
    expect(screen.queryByText(/requests? to Infomaniak/)).toBeNull();
    cleanup();
    await setLanguage('de');
    try {
      render(<SyncPreview preview={withCost(1000)} onDismiss={() => undefined} />);
      expect(
        screen.getByText(/^Das braucht mindestens 1\D?000 Anfragen an Infomaniak: bei 60 pro Minute etwa 17 Min\.$/),
      ).toBeTruthy();
    } finally {
      await setLanguage('en');
    }
  });
});
