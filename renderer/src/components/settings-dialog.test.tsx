/**
 * The Settings dialog's number fields against settings pushed from main while the dialog is open
 * (the echo of an earlier save, another window's change): a draft the user is typing is kept; a
 * field with no draft shows the new value. Broadcasts go through the real bridge (`connectBridge`).
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/model/errors';
import { DEFAULT_SETTINGS } from '../../../shared/model/settings';
import type { Settings } from '../../../shared/model/settings';
import { initI18n } from '../i18n';
import { createAppStore } from '../store';
import { connectBridge } from '../store/bridge';
import { StoreProvider } from '../store/context';
import { SettingsDialog } from './settings-dialog';

// jsdom has no showModal(), so the dialog's content counts as hidden: queries pass `hidden: true`.
afterEach(cleanup);
beforeAll(async () => {
  await initI18n('en');
});

/** A main side held by the test: `settings:set` answers only when the test says so. */
function renderDialog(initial: Partial<Settings> = {}) {
  let saved: Settings = { ...DEFAULT_SETTINGS, ...initial };
  const sets: unknown[] = [];
  const pending: Array<() => void> = [];
  const listeners = new Map<EventName, Array<(payload: unknown) => void>>();
  const api = buildApi(
    (channel: ChannelName, arg: unknown): Promise<Result<unknown>> => {
      if (channel !== 'settings:set')
        return Promise.resolve({ ok: false, error: { code: 'internal', message: 'n/a' } });
      sets.push(arg);
      saved = { ...saved, ...(arg as Partial<Settings>) };
      const answer = saved;
      return new Promise((resolve) => pending.push(() => resolve({ ok: true, value: answer })));
    },
    (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => undefined;
    },
  );
  const store = createAppStore();
  store.setState({ api, settings: saved, dialog: { kind: 'settings' } });
  connectBridge(api, store);
  render(
    <StoreProvider store={store}>
      <SettingsDialog />
    </StoreProvider>,
  );
  /** Main pushes settings (the bridge applies them to the store). */
  const broadcast = (patch: Partial<Settings>) =>
    act(() => listeners.get('settings:changed')?.forEach((l) => l({ ...saved, ...patch })));
  /** Main answers the saves sent so far (the echo arrives late). */
  const answerSaves = () =>
    act(async () => {
      for (const answer of pending.splice(0)) answer();
      await Promise.resolve();
    });
  return { sets, broadcast, answerSaves };
}

const field = (name: string) => screen.getByRole<HTMLInputElement>('spinbutton', { name, hidden: true });

async function typeInto(input: HTMLInputElement, text: string) {
  await userEvent.click(input);
  await userEvent.clear(input);
  await userEvent.type(input, text);
}

describe('SettingsDialog number fields and settings pushed from main', () => {
  it('keeps what is being typed in Parallel downloads when a settings broadcast arrives', async () => {
    const { broadcast } = renderDialog();
    const input = field('Parallel downloads');
    await typeInto(input, '5');
    broadcast({ concurrency: 7 });
    expect(input.value).toBe('5');
    broadcast({ folderMode: 'zip' });
    expect(input.value).toBe('5');
  });

  it('keeps the new draft when the late echo of the previous save arrives, then saves the draft', async () => {
    const { sets, broadcast, answerSaves } = renderDialog();
    const input = field('Parallel downloads');
    await typeInto(input, '6');
    await userEvent.tab();
    expect(sets).toEqual([{ concurrency: 6 }]);
    // Typing again before main has answered the 6.
    await typeInto(input, '4');
    broadcast({ concurrency: 6 });
    await answerSaves();
    expect(input.value).toBe('4');
    await userEvent.tab();
    expect(sets).toEqual([{ concurrency: 6 }, { concurrency: 4 }]);
  });

  it('keeps an invalid draft and its error when settings arrive, so nothing typed is lost', async () => {
    const { sets, broadcast } = renderDialog();
    const input = field('Parallel downloads');
    await typeInto(input, '12{Enter}');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    broadcast({ concurrency: 2 });
    expect(input.value).toBe('12');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert', { hidden: true }).textContent).toBe('Enter a whole number from 1 to 8.');
    expect(sets).toEqual([]);
  });

  it('shows the new value in a field with no draft, also a focused one and one just saved', async () => {
    const { broadcast, answerSaves } = renderDialog();
    const input = field('Parallel downloads');
    broadcast({ concurrency: 7 });
    expect(input.value).toBe('7');
    await userEvent.click(input);
    broadcast({ concurrency: 2 });
    expect(input.value).toBe('2');
    await typeInto(input, '5{Enter}');
    await answerSaves();
    expect(input.value).toBe('5');
    broadcast({ concurrency: 8 });
    expect(input.value).toBe('8');
  });

  it('does the same for the minutes between scheduled syncs', async () => {
    const { sets, broadcast } = renderDialog({ syncScheduled: true });
    const input = field('Minutes between syncs (5 to 1440)');
    await typeInto(input, '90');
    broadcast({ syncEveryMinutes: 30, concurrency: 4 });
    expect(input.value).toBe('90');
    expect(field('Parallel downloads').value).toBe('4');
    await userEvent.tab();
    expect(sets).toEqual([{ syncEveryMinutes: 90 }]);
    broadcast({ syncEveryMinutes: 15 });
    expect(input.value).toBe('15');
  });
});

describe('SettingsDialog mail folders', () => {
  it('offers .mbox (the default) or a folder of .eml files, and saves the choice', async () => {
    const { sets } = renderDialog();
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Download mail folders as', hidden: true });
    expect(select.value).toBe('mbox');
    await userEvent.selectOptions(select, 'eml');
    expect(sets).toEqual([{ mailFolderFormat: 'eml' }]);
  });
});

describe('SettingsDialog bandwidth limit', () => {
  const check = () =>
    screen.getByRole<HTMLInputElement>('checkbox', {
      name: 'Limit the bandwidth of downloads, sync and drag-out together',
      hidden: true,
    });

  it('is off by default with no MB/s field; turning it on saves that', async () => {
    const { sets } = renderDialog();
    expect(check().checked).toBe(false);
    expect(screen.queryByRole('spinbutton', { name: /MB\/s/, hidden: true })).toBeNull();
    await userEvent.click(check());
    expect(sets).toEqual([{ bandwidthLimit: true }]);
  });

  it('takes MB/s with one decimal (a dot or a comma), and refuses what is out of range', async () => {
    const { sets } = renderDialog({ bandwidthLimit: true });
    const input = field('Bandwidth limit in MB/s (0.1 to 10,000)');
    expect(input.value).toBe('10');
    await typeInto(input, '2.5{Enter}');
    expect(sets).toEqual([{ bandwidthMBps: 2.5 }]);
    await typeInto(input, '0.05{Enter}');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert', { hidden: true }).textContent).toBe(
      'Enter a number from 0.1 to 10,000 (one decimal at most).',
    );
    expect(sets).toEqual([{ bandwidthMBps: 2.5 }]);
  });
});
