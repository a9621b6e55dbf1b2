import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncPlanSummary } from '../../../shared/model/sync';
import { downloadQuestion } from '../components/download-confirm';
import { applyToAllLabel } from '../components/existing-dialog';
import { previewSentence } from '../components/sync/sync-preview';
import { relativeTime, runChanges } from '../components/sync/pair-row';
import { counted, en as treeEn, de as treeDe } from '../components/tree';
import { initI18n, setLanguage } from './index';
import { formatList, formatNumber } from './locale';

const t = (key: string, o?: Record<string, unknown>) => i18next.t(key, o);
/** "10'000" or "10’000": de-CH groups with an apostrophe (the runtime's CLDR picks which). */
const swiss = (digits: string) => new RegExp(digits.replace("'", "['’]"));

beforeAll(async () => {
  await initI18n('en');
});

describe('plurals and numbers in the UI’s language (23.6)', () => {
  it('"1 item", never "1 items"; counts grouped as the language writes them (de: as in Switzerland)', async () => {
    await setLanguage('en');
    expect(t('transfers.selection', { count: 1 })).toBe('1 item');
    expect(t('transfers.selection', { count: 10_000 })).toBe('10,000 items');
    expect(t('transfers.files', { done: 1, count: 1 })).toBe('1 of 1 file');
    expect(t('transfers.files', { done: 1200, count: 20_000 })).toBe('1,200 of 20,000 files');
    expect(downloadQuestion({ count: 1, bytes: 10_700_000_000, sizeUnknown: false }, t, 'en')).toBe(
      'Download 1 item, 10.7 GB?',
    );
    expect(downloadQuestion({ count: 20_000, bytes: 0, sizeUnknown: true }, t, 'en')).toBe('Download 20,000 items?');
    expect(applyToAllLabel({ more: 1, open: false }, t)).toBe('Apply to the other file that already exists too');
    expect(counted(treeEn.details.kindWithItems, 1, 'en', { kind: 'Folder' })).toBe('Folder, 1 item');
    expect(counted(treeEn.details.kindWithItems, 20_000, 'en', { kind: 'Folder' })).toBe('Folder, 20,000 items');

    await setLanguage('de');
    expect(t('transfers.selection', { count: 1 })).toBe('1 Element');
    expect(t('transfers.selection', { count: 10_000 })).toMatch(swiss("^10'000 Elemente$"));
    expect(t('search.found', { count: 1, folder: 'X' })).toBe('1 Element in «X» gefunden.');
    expect(downloadQuestion({ count: 1, bytes: 10_700_000_000, sizeUnknown: false }, t, 'de')).toBe(
      '1 Element herunterladen, 10.7 GB?',
    );
    expect(counted(treeDe.details.kindWithItems, 1, 'de', { kind: 'Ordner' })).toBe('Ordner, 1 Element');
    expect(formatNumber(20_000, 'de')).toMatch(swiss("^20'000$"));
    await setLanguage('en');
  });

  it('the sync preview and a run’s changes in words: only what happens, "1 download" never "1 downloads"', async () => {
    const counts = {
      mkdir: 0,
      download: 1,
      update: 3,
      conflict: 0,
      adopt: 0,
      move: 0,
      trash: 1,
      forget: 0,
      rmdir: 0,
      keep: 0,
    };
    const preview = { pairId: 'p', counts, bytes: 0, items: [], truncated: false } as SyncPlanSummary;
    expect(previewSentence(preview, t, 'en')).toBe(
      'The next run would download 1 file, update 3 files, and move 1 file to the trash.',
    );
    const none = { ...preview, counts: { ...counts, download: 0, update: 0, trash: 0 } };
    expect(previewSentence(none, t, 'en')).toBe('The next run would change nothing.');
    expect(
      runChanges({ added: 39, updated: 0, moved: 0, trashed: 0, conflicts: 1, failed: 2, bytes: 9 }, t, 'en'),
    ).toBe('39 new, 1 conflict, and 2 failed');
    expect(runChanges({ added: 0, updated: 0, moved: 0, trashed: 0, conflicts: 0, failed: 0, bytes: 0 }, t, 'en')).toBe(
      'nothing changed',
    );
    await setLanguage('de');
    expect(previewSentence(preview, t, 'de')).toBe(
      'Der nächste Lauf würde 1 Datei herunterladen, 3 Dateien aktualisieren und 1 Datei in den Papierkorb legen.',
    );
    expect(formatList(['a', 'b'], 'de')).toBe('a und b');
    await setLanguage('en');
  });

  it('a run that just ended is "just now", not "now" or "0 seconds ago"', () => {
    expect(relativeTime(1000, 1000, 'en', 'just now')).toBe('just now');
    expect(relativeTime(1000, 50_000, 'de', 'gerade eben')).toBe('gerade eben');
    expect(relativeTime(0, 120_000, 'en')).toBe('2 minutes ago');
    expect(relativeTime(300_000, 0, 'en')).toBe('in 5 minutes');
  });
});
