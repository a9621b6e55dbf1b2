import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { AppError } from '../../../shared/model/errors';
import { de } from './de';
import { en } from './en';

export type Language = 'en' | 'de';

export async function initI18n(language: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/** A user-facing sentence for an error: translated by code, with the English message as detail. */
export function errorText(error: AppError): string {
  const key = `errors.${error.code}`;
  if (!i18next.exists(key)) return error.message;
  if (error.code === 'scope_missing' && !error.details?.scope) return error.message;
  // Main's message is already specific for these; the translation only frames it.
  return i18next.t(key, { message: error.message, scope: error.details?.scope ?? '' });
}
