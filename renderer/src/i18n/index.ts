import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { AppError } from '../../../shared/model/errors';
import type { Notice } from '../../../shared/model/settings';
import { de } from './de';
import { en } from './en';
import { formatNumber } from './locale';
import { errorWords } from '../../../shared/i18n/error-words';

/** The Intl options among what i18next passes a format (it adds the call's whole options). */
function pickNumberOptions(options: Intl.NumberFormatOptions | undefined): Intl.NumberFormatOptions {
  const out: Intl.NumberFormatOptions = {};
  if (options?.maximumFractionDigits !== undefined) out.maximumFractionDigits = options.maximumFractionDigits;
  if (options?.minimumFractionDigits !== undefined) out.minimumFractionDigits = options.minimumFractionDigits;
  return out;
}

export type Language = 'en' | 'de';

export async function initI18n(language: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // `{{count, number}}`: numbers in the UI's language, German as used in Switzerland (locale.ts).
  i18next.services.formatter?.add(
    'number',
    (value: unknown, lng: string | undefined, options: Intl.NumberFormatOptions) =>
      typeof value === 'number' ? formatNumber(value, lng ?? language, pickNumberOptions(options)) : String(value),
  );
  document.documentElement.lang = language;
  return i18next;
}

export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/**
 * An error in the UI's language, with what to do: worded from its code, reason and params by the
 * shared word tables (shared/i18n/error-words.ts, also used by main's tray). Main's English
 * `message` is never shown for a known code, in any language.
 */
export function errorText(error: AppError): string {
  return errorWords(error, uiLanguage());
}

/** The UI's language as the word tables know it. */
export function uiLanguage(): Language {
  return (i18next.resolvedLanguage ?? i18next.language ?? 'en').startsWith('de') ? 'de' : 'en';
}

/** A notice from main in the UI's language (main's message is English), by its code when known. */
export function noticeText(notice: Notice): string {
  const key = `notices.${notice.code}`;
  const english = i18next.resolvedLanguage === 'en' || i18next.language === 'en';
  return english || !i18next.exists(key) ? notice.message : i18next.t(key);
}
