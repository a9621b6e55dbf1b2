import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { AppError } from '../../../shared/model/errors';
import type { Notice } from '../../../shared/model/settings';
import { de } from './de';
import { en } from './en';
import { formatNumber } from './locale';

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
 * A user-facing sentence for an error, translated by its code. Main's `message` is English: English
 * shows it as the specific detail; other languages never show it (Infomaniak's own code stands in).
 */
export function errorText(error: AppError): string {
  const key = `errors.${error.code}`;
  const english = i18next.resolvedLanguage === 'en' || i18next.language === 'en';
  if (!i18next.exists(key)) return english ? error.message : i18next.t('errors.internal');
  if (error.code === 'scope_missing' && !error.details?.scope)
    return english ? error.message : i18next.t('errors.scope_missing_unnamed');
  const code = error.details?.apiCode ?? (error.details?.status ? String(error.details.status) : '');
  return i18next.t(key, {
    message: english ? error.message : '',
    scope: error.details?.scope ?? '',
    path: error.details?.path ?? '',
    code: code ? ` (${code})` : '',
  });
}

/** A notice from main in the UI's language (main's message is English), by its code when known. */
export function noticeText(notice: Notice): string {
  const key = `notices.${notice.code}`;
  const english = i18next.resolvedLanguage === 'en' || i18next.language === 'en';
  return english || !i18next.exists(key) ? notice.message : i18next.t(key);
}
