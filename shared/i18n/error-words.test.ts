/**
 * The word tables: every code and every reason of every code has an English and a German text that
 * names its params and says what to do; a stored error of another version's shape still gets words.
 */
import { describe, expect, it } from 'vitest';
import { appErrorSchema } from '../model/error-schema';
import { ERROR_CODES, ERROR_REASONS } from '../model/errors';
import type { AppError, ErrorCode, ErrorReason } from '../model/errors';
import { ERROR_WORDS, errorWords } from './error-words';

const FULL_PARAMS = {
  name: 'Bericht.pdf',
  path: '/home/anna/kDrive',
  host: 'api.infomaniak.com',
  detail: 'EACCES',
  limit: 200,
  count: 3,
  list: ['tree', 'file'],
};

const cases: Array<[ErrorCode, ErrorReason | undefined]> = [
  ...ERROR_CODES.map((code): [ErrorCode, undefined] => [code, undefined]),
  ...Object.entries(ERROR_REASONS).flatMap(([code, reasons]) =>
    reasons.map((reason): [ErrorCode, ErrorReason] => [code as ErrorCode, reason]),
  ),
];

const MESSAGE = 'ENGLISH MESSAGE FROM MAIN';

describe('error words', () => {
  it('every reason belongs to one code only (a reason names one situation)', () => {
    const all = Object.values(ERROR_REASONS).flat();
    const seen = new Map<string, number>();
    for (const r of all) seen.set(r, (seen.get(r) ?? 0) + 1);
    // `not_syncable` is the one reason two codes share (not_found from an adapter, unavailable from Sources).
    expect([...seen].filter(([r, n]) => n > 1 && r !== 'not_syncable')).toEqual([]);
  });

  it.each(cases)('%s %s: English and German words, with and without params, never main’s message', (code, reason) => {
    for (const params of [undefined, FULL_PARAMS]) {
      const error: AppError = {
        code,
        message: MESSAGE,
        ...(reason ? { reason } : {}),
        ...(params ? { params } : {}),
        details: { scope: 'drive', status: 503, retryAfterMs: 30_000 },
      };
      const en = errorWords(error, 'en');
      const de = errorWords(error, 'de');
      for (const text of [en, de]) {
        expect(text.length).toBeGreaterThan(5);
        expect(text).not.toContain(MESSAGE);
        expect(text).not.toMatch(/undefined|null|NaN|\{\{|\[object/);
        expect(text).toMatch(/[.!…]$/);
      }
      expect(de).not.toBe(en);
      // The project's German (scripts/i18n-keys.test.ts holds de.ts to the same): Swiss, "Elemente", no English unit.
      expect(de).not.toMatch(/ß|Eintr[äa]g|\d\s?(min|h|sec)\b/);
      // A reason has its own words, not its code's.
      if (reason) {
        const plain = { ...error };
        delete plain.reason;
        expect(en).not.toBe(errorWords(plain, 'en'));
        expect(de).not.toBe(errorWords(plain, 'de'));
      }
    }
  });

  it('the reasons of every code are worded in both tables (no reason falls back to its code)', () => {
    for (const language of ['en', 'de'] as const) {
      const table = ERROR_WORDS[language].reasons as Record<string, Record<string, unknown>>;
      for (const [code, reasons] of Object.entries(ERROR_REASONS)) {
        expect(Object.keys(table[code] ?? {}).sort()).toEqual([...reasons].sort());
      }
    }
  });

  it('params are named in the words: the sync folder, the name, the limit, the seconds', () => {
    const missing: AppError = {
      code: 'io',
      reason: 'folder_missing',
      message: MESSAGE,
      params: { path: '/media/usb/Fotos' },
    };
    expect(errorWords(missing, 'de')).toBe(
      'Der Ordner «/media/usb/Fotos» fehlt. Schliessen Sie das Laufwerk wieder an, auf dem er liegt, oder wählen Sie einen anderen Ordner, und versuchen Sie es erneut.',
    );
    // The wrong advice of before: a missing folder never sends the user to the download folder.
    expect(errorWords(missing, 'de')).not.toContain('Download-Ordner');
    expect(errorWords(missing, 'en')).toContain('“/media/usb/Fotos” is missing. Reconnect the disk');
    const notFolder: AppError = {
      code: 'io',
      reason: 'sync_folder_not_folder',
      message: MESSAGE,
      params: { path: '/p' },
    };
    expect(errorWords(notFolder, 'de')).toContain('Der Synchronisationsordner «/p» ist kein Ordner');
    // unsafe_path names its path in details (localfs/paths.ts).
    const link: AppError = { code: 'unsafe_path', message: MESSAGE, details: { path: 'Docs' } };
    expect(errorWords(link, 'de')).toContain('«Docs» ist eine Verknüpfung');
    const pairs: AppError = { code: 'validation', reason: 'too_many_pairs', message: MESSAGE, params: { limit: 2000 } };
    expect(errorWords(pairs, 'de')).toMatch(/Höchstens 2[’']000 Synchronisationen/);
    expect(errorWords(pairs, 'en')).toContain('At most 2,000 sync pairs');
    const limited: AppError = { code: 'rate_limited', message: MESSAGE, details: { retryAfterMs: 4500 } };
    expect(errorWords(limited, 'de')).toBe('Infomaniak begrenzt die Anfragen. Versuchen Sie es in 5 s erneut.');
    const layout: AppError = {
      code: 'validation',
      reason: 'layout',
      message: MESSAGE,
      params: { list: ['tree', 'vdir'] },
    };
    expect(errorWords(layout, 'en')).toContain('tree and vdir');
    expect(errorWords(layout, 'de')).toContain('tree und vdir');
    const scope: AppError = { code: 'scope_missing', message: MESSAGE };
    expect(errorWords(scope, 'de')).toContain('fehlt eine Berechtigung');
    expect(errorWords({ ...scope, details: { scope: 'drive' } }, 'de')).toContain('fehlt die Berechtigung drive');
  });

  it('an error of a newer version (unknown code) shows its message; an unknown reason its code’s words', () => {
    expect(errorWords({ code: 'from_the_future' as ErrorCode, message: 'Later words.' }, 'de')).toBe('Later words.');
    const stored = appErrorSchema.parse({
      code: 'io',
      reason: 'a_reason_of_tomorrow',
      message: 'x',
      params: { name: 42, path: '/p' },
      details: { status: 'x' },
    });
    expect(stored).toEqual({ code: 'io', message: 'x', params: { path: '/p' } });
    expect(errorWords(stored, 'de')).toBe(errorWords({ code: 'io', message: '' }, 'de'));
  });
});
