/** The calendar window's day fields: a draft belongs to the calendar it was typed for. */
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../../shared/ipc/api';
import { DEFAULT_SETTINGS } from '../../../shared/model/settings';
import { initI18n } from '../i18n';
import { createAppStore } from '../store';
import { StoreProvider } from '../store/context';
import { CalendarWindow } from './calendar-window';

afterEach(cleanup);
beforeAll(async () => {
  await initI18n('en');
});

function renderFor(nodeId: string) {
  const api = buildApi(
    async () => ({ ok: false, error: { code: 'internal', message: 'n/a' } }),
    () => () => undefined,
  );
  const store = createAppStore();
  store.setState({ api, settings: { ...DEFAULT_SETTINGS } });
  const ui = (id: string) => (
    <StoreProvider store={store}>
      <CalendarWindow nodeId={id} />
    </StoreProvider>
  );
  const { rerender } = render(ui(nodeId));
  return { select: (id: string) => rerender(ui(id)) };
}

describe('CalendarWindow', () => {
  it('drops an unsaved draft when another calendar (with the same window) is shown', async () => {
    const { select } = renderFor('cal-a');
    const back = screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Days back' });
    await userEvent.clear(back);
    await userEvent.type(back, '99999{Enter}');
    expect(screen.getByRole('alert').textContent).toBe('Enter a whole number from 0 to 3,650.');
    await userEvent.clear(screen.getByRole('spinbutton', { name: 'Days ahead' }));
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Days ahead' }), '12');
    select('cal-b');
    expect(screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Days back' }).value).toBe('365');
    expect(screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Days ahead' }).value).toBe('365');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
