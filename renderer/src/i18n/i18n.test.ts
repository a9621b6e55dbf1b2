import { describe, expect, it } from 'vitest';
import { errorWords } from '../../../shared/i18n/error-words';
import { ERROR_CODES, ERROR_REASONS } from '../../../shared/model/errors';
import type { AppError, ErrorCode, ErrorReason } from '../../../shared/model/errors';
import { errorText, initI18n, noticeText, setLanguage } from './index';

const every: AppError[] = [
  ...ERROR_CODES.map((code) => ({ code, message: 'Main said this in English.' })),
  ...Object.entries(ERROR_REASONS).flatMap(([code, reasons]) =>
    reasons.map((reason) => ({
      code: code as ErrorCode,
      reason: reason as ErrorReason,
      message: 'Main said this in English.',
      params: { name: 'a.txt', path: '/x', limit: 2, list: ['tree'] },
    })),
  ),
];

describe('errorText and noticeText', () => {
  it('the German UI words every known code and reason in German (never main’s English, never a generic line)', async () => {
    await initI18n('de');
    const generic = errorWords({ code: 'internal', message: '' }, 'de');
    for (const error of every) {
      const text = errorText(error);
      expect(text).toBe(errorWords(error, 'de'));
      expect(text).not.toContain('Main said');
      if (error.code !== 'internal') expect(text).not.toBe(generic);
    }
    const apiError = { code: 'api_error' as const, message: 'Upstream said no', details: { apiCode: 'object_gone' } };
    expect(errorText(apiError)).toBe(
      'Infomaniak hat mit einem Fehler geantwortet (object_gone). Versuchen Sie es später erneut.',
    );
    expect(errorText({ code: 'io', message: 'EACCES: permission denied' })).not.toContain('EACCES: permission');
    expect(errorText({ code: 'scope_missing', message: 'lacks a scope' })).toContain('fehlt eine Berechtigung');
    expect(noticeText({ level: 'warning', code: 'settings_reset', message: 'Some settings were reset: x.' })).toBe(
      'Einige Einstellungen waren ungültig und wurden zurückgesetzt.',
    );
    expect(noticeText({ level: 'info', code: 'unknown_code', message: 'As main said.' })).toBe('As main said.');

    await setLanguage('en');
    for (const error of every) expect(errorText(error)).toBe(errorWords(error, 'en'));
    expect(errorText(apiError)).toBe('Infomaniak answered with an error (object_gone). Try again later.');
    expect(noticeText({ level: 'warning', code: 'settings_reset', message: 'Some settings were reset: x.' })).toBe(
      'Some settings were reset: x.',
    );
  });
});
