/** The locale numbers and dates are written in: one place for the renderer and main (shared/i18n/locale.ts). */
export { formatList, formatNumber, numberLocale } from '../../../shared/i18n/locale';
export type { UiLanguage } from '../../../shared/i18n/locale';
