import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../../shared/ipc/api';
import type { ChannelName } from '../../../shared/ipc/contract';
import type { ExistingQuestion } from '../../../shared/model/existing';
import { transferSchema } from '../../../shared/model/transfers';
import type { Transfer } from '../../../shared/model/transfers';
import i18next from 'i18next';
import { errorText, initI18n, setLanguage } from '../i18n';
import { createAppStore } from '../store';
import { StoreProvider } from '../store/context';
import { ExistingDialog, applyToAllLabel, factsText } from './existing-dialog';
import { namesNote } from './existing-note';

// jsdom has no showModal(), so the dialog's content counts as hidden: queries pass `hidden: true`.
afterEach(cleanup);
beforeAll(async () => {
  await initI18n('en');
});

const question = (over: Partial<ExistingQuestion> = {}): ExistingQuestion => ({
  id: 'q1',
  transferId: 't1',
  name: 'Willkommen.txt',
  folder: 'Downloads',
  more: 0,
  open: false,
  existing: { size: 37_700, modifiedAt: Date.UTC(2025, 0, 2, 14, 4) },
  incoming: { size: 38_100, modifiedAt: null },
  ...over,
});

function renderWith(existingQuestions: ExistingQuestion[]) {
  const calls: Array<[ChannelName, unknown]> = [];
  const api = buildApi(
    async (channel, arg) => {
      calls.push([channel, arg]);
      return { ok: true, value: { answered: true } };
    },
    () => () => undefined,
  );
  const store = createAppStore();
  store.setState({ api, existingQuestions });
  render(
    <StoreProvider store={store}>
      <ExistingDialog />
    </StoreProvider>,
  );
  return { calls, store };
}

const t = (key: string, o?: Record<string, unknown>): string => i18next.t(key, o);

describe('ExistingDialog (13.5)', () => {
  it('asks with the file and folder named; Replace answers once, without "apply to all" when nothing may follow', async () => {
    const { calls, store } = renderWith([question()]);
    expect(screen.getByRole('heading', { hidden: true }).textContent).toBe(
      '“Willkommen.txt” already exists in Downloads',
    );
    expect(screen.queryByRole('checkbox', { hidden: true })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Replace', hidden: true }));
    expect(calls).toEqual([['transfers:resolveExisting', { id: 'q1', choice: 'replace', applyToAll: false }]]);
    expect(store.getState().existingQuestions).toEqual([]);
  });

  it('is keyboard operable: Keep both has the focus, Tab reaches the checkbox, Space ticks it, Enter answers for all', async () => {
    const { calls } = renderWith([question({ more: 3 })]);
    const keep = screen.getByRole('button', { name: 'Keep both', hidden: true });
    await waitFor(() => expect(document.activeElement).toBe(keep));
    const box = screen.getByRole('checkbox', { name: 'Apply to all 3 other files that already exist', hidden: true });
    box.focus();
    await userEvent.keyboard(' ');
    expect((box as HTMLInputElement).checked).toBe(true);
    keep.focus();
    await userEvent.keyboard('{Enter}');
    expect(calls).toEqual([['transfers:resolveExisting', { id: 'q1', choice: 'keep', applyToAll: true }]]);
  });

  it('says how many may follow', () => {
    expect(applyToAllLabel({ more: 0, open: false }, t)).toBeNull();
    expect(applyToAllLabel({ more: 0, open: true }, t)).toBe(
      'Apply to later files of this download that already exist',
    );
    expect(applyToAllLabel({ more: 1, open: false }, t)).toBe('Apply to the other file that already exists too');
    expect(applyToAllLabel({ more: 4, open: false }, t)).toBe('Apply to all 4 other files that already exist');
    expect(applyToAllLabel({ more: 2, open: true }, t)).toBe('Apply to all other files that already exist (2 so far)');
  });
});

describe('the question shows both files, and Esc skips for all (23.1)', () => {
  it('names size and date of the file there and of the one to download', () => {
    renderWith([question()]);
    const terms = screen.getAllByRole('term', { hidden: true }).map((e) => e.textContent);
    const values = screen.getAllByRole('definition', { hidden: true }).map((e) => e.textContent);
    expect(terms).toEqual(['In the folder', 'To download']);
    expect(values[0]).toMatch(/^37\.7 kB, modified \d{1,2}\/\d{1,2}\/25, \d{1,2}:\d{2}\s?[AP]M$/);
    expect(values[1]).toBe('38.1 kB');
    expect(factsText({ size: null, modifiedAt: null }, t, 'en')).toBe('size and date unknown');
  });

  it('Esc answers the whole question: Skip for all, and the dialog says so beforehand', async () => {
    const { calls, store } = renderWith([question({ more: 3 })]);
    expect(screen.getByText(/^Esc: Skip for all/)).toBeTruthy();
    const dialog = document.querySelector('dialog')!;
    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    await waitFor(() =>
      expect(calls).toEqual([['transfers:resolveExisting', { id: 'q1', choice: 'skip', applyToAll: true }]]),
    );
    expect(store.getState().existingQuestions).toEqual([]);
  });
});

describe('the row note names the real reason (13.5)', () => {
  const transfer = (over: Partial<Transfer>): Transfer =>
    transferSchema.parse({
      id: 't',
      name: 'x',
      kind: 'file',
      state: 'done',
      bytesDone: 1,
      bytesTotal: 1,
      filesDone: 1,
      filesTotal: 1,
      speed: 0,
      etaSeconds: null,
      targetPath: null,
      renamed: [],
      resumes: 0,
      createdAt: 1,
      ...over,
    });

  it('a taken name is not "renamed to be safe on disk"; a hostile one is', async () => {
    await setLanguage('en');
    const kept = transfer({
      renamed: [['Willkommen.txt', 'Willkommen (1).txt', 'exists']],
      renamedCount: 1,
      keptBoth: 1,
    });
    expect(namesNote(kept, t)).toBe('A file with this name already exists: saved as Willkommen (1).txt');
    const unsafe = transfer({ renamed: [['a:b.txt', 'a_b.txt', 'unsafe']], renamedCount: 1 });
    expect(namesNote(unsafe, t)).toBe('Renamed to be safe on disk: a:b.txt → a_b.txt');
    // A record stored before reasons existed reads as before.
    expect(namesNote(transfer({ renamed: [['a:b.txt', 'a_b.txt']], renamedCount: 1 }), t)).toBe(
      'Renamed to be safe on disk: a:b.txt → a_b.txt',
    );
    const mixed = transfer({ renamedCount: 5, keptBoth: 3, skipped: 2, replaced: 1 });
    expect(namesNote(mixed, t)).toBe(
      '3 files already existed: kept both, the new ones numbered · 2 names were changed to be safe on disk. · 2 skipped: files with these names already exist · The existing file was moved to the trash and replaced',
    );
    expect(namesNote(transfer({}), t)).toBeNull();
    // The same file already there is not "skipped" (23.1).
    expect(namesNote(transfer({ state: 'skipped', alreadyThere: 1 }), t)).toBe(
      'Already there: the same file is in the folder',
    );
    expect(namesNote(transfer({ state: 'skipped', alreadyThere: 34, skipped: 2 }), t)).toBe(
      '34 already there: the same files are in the folder · 2 skipped: files with these names already exist',
    );
  });

  it('a failed trash says that nothing was replaced, in German too', async () => {
    const error = {
      code: 'io' as const,
      reason: 'trash_failed' as const,
      message: 'x',
      params: { name: 'Willkommen.txt', path: '/d/Willkommen.txt' },
    };
    await setLanguage('de');
    expect(errorText(error)).toBe(
      '«Willkommen.txt» wurde nicht ersetzt: Die Datei liess sich nicht in den Papierkorb verschieben. Die vorhandene Datei ist unverändert; laden Sie erneut herunter und wählen Sie «Beide behalten», oder verschieben Sie die Datei zuerst.',
    );
    expect(errorText({ code: 'io', message: 'EACCES' })).not.toContain('Papierkorb');
    await setLanguage('en');
  });
});
