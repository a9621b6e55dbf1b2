import { describe, expect, it } from 'vitest';
import { errorText, initI18n, noticeText, setLanguage } from './index';

describe('errorText and noticeText', () => {
  it("German never shows main's English message; English keeps it as the detail", async () => {
    await initI18n('de');
    const apiError = { code: 'api_error' as const, message: 'Upstream said no', details: { apiCode: 'object_gone' } };
    expect(errorText(apiError)).toBe(
      'Infomaniak hat mit einem Fehler geantwortet (object_gone). Versuchen Sie es später erneut.',
    );
    expect(errorText({ code: 'io', message: 'EACCES: permission denied' })).not.toContain('EACCES');
    expect(errorText({ code: 'scope_missing', message: 'lacks a scope' })).toContain('fehlt eine Berechtigung');
    expect(noticeText({ level: 'warning', code: 'settings_reset', message: 'Some settings were reset: x.' })).toBe(
      'Einige Einstellungen waren ungültig und wurden zurückgesetzt.',
    );
    expect(noticeText({ level: 'info', code: 'unknown_code', message: 'As main said.' })).toBe('As main said.');

    await setLanguage('en');
    expect(errorText(apiError)).toBe('Infomaniak answered with an error: Upstream said no');
    expect(noticeText({ level: 'warning', code: 'settings_reset', message: 'Some settings were reset: x.' })).toBe(
      'Some settings were reset: x.',
    );
  });
});
