import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../../shared/ipc/api';
import type { ChannelName } from '../../../shared/ipc/contract';
import type { Connection } from '../../../shared/model/connection';
import { initI18n, setLanguage } from '../i18n';
import { createAppStore } from '../store';
import { StoreProvider } from '../store/context';
import { ConnectionsDialog } from './connections-dialog';

// jsdom has no showModal(), so the dialog's content counts as hidden: queries pass `hidden: true`.
afterEach(cleanup);
beforeAll(async () => {
  await initI18n('en');
});

const available = { available: true };
const base: Connection = {
  id: 'c1',
  label: 'Anna Muster',
  status: 'active',
  grantedScopes: ['accounts', 'drive'],
  accountIds: [46276, 99001],
  accounts: [{ id: 46276, name: 'Muster AG' }, { id: 99001 }],
  services: { kdrive: available, calendar: available, contacts: available, mail: { available: false } },
  demo: false,
  createdAt: 1,
  updatedAt: 1,
};

function renderWith(connection: Connection) {
  const calls: Array<[ChannelName, unknown]> = [];
  const api = buildApi(
    async (channel, arg) => {
      calls.push([channel, arg]);
      return { ok: true, value: undefined };
    },
    () => () => undefined,
  );
  const store = createAppStore();
  store.setState({ api, connections: [connection] });
  render(
    <StoreProvider store={store}>
      <ConnectionsDialog />
    </StoreProvider>,
  );
  return calls;
}

describe('ConnectionsDialog', () => {
  it('shows account names from /1/accounts (the number only where the name is missing)', () => {
    renderWith(base);
    expect(screen.getByText('Muster AG, #99001')).toBeTruthy();
    expect(screen.queryByText('46276, 99001')).toBeNull();
  });

  it('falls back to account numbers for a record stored before names were kept', () => {
    const { accounts: _accounts, ...old } = base;
    renderWith(old);
    expect(screen.getByText('46276, 99001')).toBeTruthy();
  });

  it('offers a clear confirmation when the endpoints changed, and sends it for this connection only', async () => {
    const calls = renderWith({
      ...base,
      status: 'needs_attention',
      problem: {
        code: 'endpoints_changed',
        message: 'Set up for https://api.infomaniak.com, now http://127.0.0.1:9.',
        params: { list: ['api: https://api.infomaniak.com → http://127.0.0.1:9'] },
      },
    });
    expect(screen.getByText(/Its token is sent nowhere until you confirm/)).toBeTruthy();
    // Worded from the params (the same words in German), not from main's English message.
    expect(screen.getByText(/\(api: https:\/\/api\.infomaniak\.com → http:\/\/127\.0\.0\.1:9\)/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Use the new addresses', hidden: true }));
    expect(calls).toContainEqual(['connections:confirmEndpoints', { id: 'c1' }]);
  });

  it('says why a service is not available in the UI language: main’s English reason never in German', async () => {
    const mail = {
      available: false,
      reason: 'Mail is not available (Checked: 302).',
      reasonCode: 'mail_blocked' as const,
    };
    const calendar = {
      available: false,
      reason: 'This token lacks the scope workspace:calendar.',
      reasonCode: 'scope_missing' as const,
    };
    await setLanguage('de');
    renderWith({ ...base, services: { ...base.services, mail, calendar } });
    expect(screen.getByText(/^Mail/).getAttribute('title')).toBe(
      'Mail ist für dieses Token nicht verfügbar. Mail braucht ein Token mit der Berechtigung workspace:mail.',
    );
    expect(screen.getByText(/^Kalender/).getAttribute('title')).toBe(
      'Diesem Token fehlt die Berechtigung workspace:calendar. Erstellen Sie ein neues Token damit.',
    );
    cleanup();
    await setLanguage('en');
    renderWith({ ...base, services: { ...base.services, mail } });
    expect(screen.getByText(/^Mail/).getAttribute('title')).toBe('Mail is not available (Checked: 302).');
  });

  it('shows no confirmation button for other problems', () => {
    renderWith({ ...base, status: 'needs_attention', problem: { code: 'token_invalid', message: 'refused' } });
    expect(screen.queryByRole('button', { name: 'Use the new addresses', hidden: true })).toBeNull();
  });
});
