/** Locale-aware display of sizes and dates for the tree and the details pane. Pure, no React. */

export type TreeLocale = 'en' | 'de';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: TreeLocale, digits: number): Intl.NumberFormat {
  const key = `${locale}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(key, f);
  }
  return f;
}

/**
 * Decimal (SI) units, one decimal below 100: 1234567 → "1.2 MB" (en) / "1,2 MB" (de).
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

/** Short date and time in the user's time zone: "1/2/25, 3:04 PM" (en) / "02.01.25, 15:04" (de). */
export function formatDateTime(ms: number | undefined, locale: TreeLocale): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
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
