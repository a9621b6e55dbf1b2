/**
 * Locale-aware display of sizes, dates and counts for the tree and the details pane. Pure, no
 * React. Numbers are written in `i18n/locale.ts`'s locale (German as used in Switzerland).
 */
import { formatNumber, numberLocale } from '../../i18n/locale';

export type TreeLocale = 'en' | 'de';

/** A text with a count in its plural forms (Intl.PluralRules: English and German need one and other). */
export interface Plural {
  one: string;
  other: string;
}

/** The form for `count`, with `{{count}}` written in the UI's language ("1 item", "20’000 Elemente"). */
export function counted(
  forms: Plural,
  count: number,
  locale: TreeLocale,
  values: Record<string, string | number> = {},
): string {
  const form = new Intl.PluralRules(numberLocale(locale)).select(count) === 'one' ? forms.one : forms.other;
  return interpolate(form, { ...values, count: formatNumber(count, locale) });
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: TreeLocale, digits: number): Intl.NumberFormat {
  const key = `${locale}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(numberLocale(locale), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(key, f);
  }
  return f;
}

/**
 * Decimal (SI) units, one decimal below 100: 1234567 → "1.2 MB" (en, and de-CH: "1.2 MB").
 * Returns '' for undefined or negative input.
 */
export function formatSize(bytes: number | undefined, locale: TreeLocale): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${numberFormat(locale, 0).format(bytes)} B`;
  let unit = 0;
  let value = bytes;
  // Advance while the rounded value would reach 1000 (999,500 B is "1 MB", not "1,000 kB").
  while (unit < UNITS.length - 1 && value >= 999.5) {
    value /= 1000;
    unit++;
  }
  const digits = value < 100 ? 1 : 0;
  return `${numberFormat(locale, digits).format(value)} ${UNITS[unit] ?? 'B'}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Short date and time in the user's time zone: "1/2/25, 3:04 PM" (en) / "02.01.25, 15:04" (de-CH). */
export function formatDateTime(ms: number | undefined, locale: TreeLocale): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(numberLocale(locale), { dateStyle: 'short', timeStyle: 'short' });
    dateFormats.set(locale, f);
  }
  return f.format(ms);
}

/** Replaces `{{name}}` placeholders (i18next syntax, so the strings can live in i18next resources). */
export function interpolate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : String(v);
  });
}
