/**
 * The locale numbers and dates are written in, for the UI's language: English as "en", German as
 * used in Switzerland ("de-CH": the project writes Swiss German; 20’000, 9.5 MB). One place, used by
 * i18next's `number` format (`{{count, number}}`), the tree's sizes and dates, and the error words (error-words.ts). Pure.
 */
export type UiLanguage = 'en' | 'de';

export function numberLocale(language: string): 'en' | 'de-CH' {
  return language.startsWith('de') ? 'de-CH' : 'en';
}

const formats = new Map<string, Intl.NumberFormat>();

/** A count or number in the UI's language: 20000 → "20,000" (en) / "20’000" (de). */
export function formatNumber(value: number, language: string, options: Intl.NumberFormatOptions = {}): string {
  const key = `${numberLocale(language)}:${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(numberLocale(language), options);
    formats.set(key, format);
  }
  return format.format(value);
}

/** "a, b and c" / "a, b und c" in the UI's language. */
export function formatList(items: readonly string[], language: string): string {
  return new Intl.ListFormat(numberLocale(language), { style: 'long', type: 'conjunction' }).format(items);
}
