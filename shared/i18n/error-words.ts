/**
 * Errors worded in the UI's language, one table per language (error-words-en.ts,
 * error-words-de.ts), used by the renderer (`errorText`) and by the parts of main that word things
 * themselves (the tray's notification). An error crosses IPC as a code, a reason and params; the
 * words say what happened and what to do. Main's English `message` is for logs only: it is shown
 * only for a code this build does not know (an error from a newer version, read back from disk).
 */
import { ERROR_CODES } from '../model/errors';
import type { AppError, ErrorCode, ERROR_REASONS, ReasonOf } from '../model/errors';
import { errorWordsDe } from './error-words-de';
import { errorWordsEn } from './error-words-en';
import { formatList, formatNumber } from './locale';
import type { UiLanguage } from './locale';

/** The values words may name, already written in the UI's language ('' when absent). */
export interface WordValues {
  name: string;
  path: string;
  host: string;
  detail: string;
  /** The scope a token lacks. */
  scope: string;
  /** " (503, object_not_found)": Infomaniak's status and code, for the curious; '' when none. */
  code: string;
  /** Seconds until a retry makes sense ('' when unknown). */
  seconds: string;
  limit: string;
  count: string;
  /** The count as a number (plurals); 0 when absent. */
  n: number;
  list: string;
}

export type Words = (v: WordValues) => string;

type ReasonWords = { [C in keyof typeof ERROR_REASONS]: Record<ReasonOf<C>, Words> };

/** One language's words: every code, every reason of every code (the compiler holds de to en's keys). */
export interface ErrorWordsTable {
  codes: Record<ErrorCode, Words>;
  reasons: ReasonWords;
  /** `scope_missing` without a named scope. */
  scopeUnnamed: Words;
}

export const ERROR_WORDS: Record<UiLanguage, ErrorWordsTable> = { en: errorWordsEn, de: errorWordsDe };

function values(error: AppError, language: UiLanguage): WordValues {
  const p = error.params ?? {};
  const d = error.details ?? {};
  const num = (n: number | undefined) => (n === undefined ? '' : formatNumber(n, language));
  const code = [d.status, d.apiCode].filter((x) => x !== undefined && x !== '').join(', ');
  const seconds = d.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(d.retryAfterMs / 1000));
  return {
    name: p.name ?? '',
    // `unsafe_path` names its path in details (the executor names a skipped item there too).
    path: p.path ?? (error.code === 'unsafe_path' ? (d.path ?? '') : ''),
    host: p.host ?? '',
    detail: p.detail ?? '',
    scope: d.scope ?? '',
    code: code ? ` (${code})` : '',
    seconds: num(seconds),
    limit: num(p.limit),
    count: num(p.count),
    n: p.count ?? 0,
    list: p.list ? formatList(p.list, language) : '',
  };
}

/** The words for one error in `language`: its reason's, else its code's; never main's English for a known code. */
export function errorWords(error: AppError, language: UiLanguage): string {
  const table = ERROR_WORDS[language];
  if (!(ERROR_CODES as readonly string[]).includes(error.code)) return error.message;
  const v = values(error, language);
  const byReason = error.reason
    ? (table.reasons as Partial<Record<ErrorCode, Partial<Record<string, Words>>>>)[error.code]?.[error.reason]
    : undefined;
  if (byReason) return byReason(v);
  if (error.code === 'scope_missing' && !v.scope) return table.scopeUnnamed(v);
  return table.codes[error.code](v);
}
