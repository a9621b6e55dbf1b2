/**
 * What the transfers panel says about transfers, as pure functions: the name shown, the status
 * line, the overall progress of what is active, durations in the UI's units.
 */
import type { Transfer } from '../../../shared/model/transfers';
import { formatSize } from './tree';

type T = (key: string, options?: Record<string, unknown>) => string;
type Locale = 'en' | 'de';

/** "12 s", "3 min" / "3 Min.", "2 h 5 min" / "2 Std. 5 Min.". */
export function formatDuration(seconds: number, locale: Locale): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (s < 3600) return locale === 'de' ? `${minutes} Min.` : `${minutes} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return locale === 'de' ? `${h} Std. ${m} Min.` : `${h} h ${m} min`;
}

/** Main's node ids (`conn:…/…`) are never a name to show. */
const INTERNAL_ID = /^conn:/;

/** The name a transfer is shown by: never an internal id, a selection by its count. */
export function transferName(transfer: Transfer, t: T): string {
  if (transfer.kind === 'selection') return t('transfers.selection', { count: transfer.items });
  if (transfer.name && !INTERNAL_ID.test(transfer.name)) return transfer.name;
  const base = transfer.targetPath?.split(/[\\/]/).filter(Boolean).pop();
  return base ?? t(`transfers.unnamed.${transfer.kind}`);
}

export const isActive = (t: Transfer): boolean => t.state === 'running' || t.state === 'queued';

/** Ended with every file there: downloaded (`done`) or not needed (`skipped`). */
export const finished = (t: Transfer): boolean => t.state === 'done' || t.state === 'skipped';

const secondsUntil = (at: number | null, now: number): number | null =>
  at !== null && at > now ? Math.ceil((at - now) / 1000) : null;

/** Seconds until the token's request budget lets the transfer go on, or null. */
export function waitSeconds(transfer: Transfer, now: number): number | null {
  return secondsUntil(transfer.waitingUntil, now);
}

/** Seconds until the next attempt after a failed one (server error, stall, drop), or null. */
export function retrySeconds(transfer: Transfer, now: number): number | null {
  return secondsUntil(transfer.retryingAt ?? null, now);
}

/** Whether the panel has a countdown to refresh every second. */
export function isCountingDown(transfer: Transfer): boolean {
  return transfer.state === 'running' && (transfer.waitingUntil !== null || (transfer.retryingAt ?? null) !== null);
}

/**
 * Why a running transfer moves no bytes, when it does not: retrying, paced, or stalled; said after
 * what came so far, as one phrase ("22.2 MB of 25.2 MB so far, waiting for the server"), or alone.
 */
function waitText(transfer: Transfer, now: number, t: T, locale: Locale, size: string | null): string | null {
  const so = (key: string, values: Record<string, unknown> = {}) =>
    size ? t(`transfers.${key}At`, { ...values, size }) : t(`transfers.${key}`, values);
  const retry = retrySeconds(transfer, now);
  if (retry !== null) return so('retrying', { time: formatDuration(retry, locale) });
  const wait = waitSeconds(transfer, now);
  if (wait !== null) return so('rateLimited', { time: formatDuration(wait, locale) });
  return transfer.speed < 1 ? so('stalled') : null;
}

function sizeText(transfer: Transfer, t: T, locale: Locale): string {
  const done = formatSize(transfer.bytesDone, locale);
  return transfer.bytesTotal !== null
    ? t('transfers.ofSize', { part: done, whole: formatSize(transfer.bytesTotal, locale) })
    : done;
}

function filesText(transfer: Transfer, t: T): string | null {
  const folder = transfer.kind === 'folder' || transfer.kind === 'selection' || transfer.kind === 'zip';
  if (transfer.filesTotal !== null && (transfer.filesTotal > 1 || folder))
    return t('transfers.files', { done: transfer.filesDone, count: transfer.filesTotal });
  return folder && transfer.state !== 'done' ? t('transfers.counting') : null;
}

/**
 * A job bound by the token's request budget (issue 22.3): "about 4 min at Infomaniak's 60
 * requests/min" ("at least" while its files are counted), never shorter than what the bytes left
 * take at the current speed.
 */
function estimateText(transfer: Transfer, t: T, locale: Locale): string | null {
  const estimate = transfer.estimate;
  if (!estimate) return null;
  const seconds = Math.max(estimate.seconds, transfer.etaSeconds ?? 0);
  const key = estimate.complete ? 'transfers.estimate' : 'transfers.estimateAtLeast';
  return t(key, { time: formatDuration(seconds, locale), count: estimate.limit });
}

/** The status line of a row (besides its state word). */
export function transferStatus(transfer: Transfer, now: number, t: T, locale: Locale): string {
  // Nothing was downloaded: no bytes to count (the row's note says why each file was skipped).
  if (transfer.state === 'skipped') return '';
  const parts: string[] = [];
  if (transfer.waitingForDecision && isActive(transfer)) parts.push(t('existing.waiting'));
  const size =
    transfer.state !== 'cancelled' && (transfer.bytesDone > 0 || transfer.bytesTotal !== null)
      ? sizeText(transfer, t, locale)
      : null;
  const waiting = transfer.state === 'running' ? waitText(transfer, now, t, locale, size) : null;
  if (waiting) parts.push(waiting);
  else if (size) parts.push(size);
  const files = filesText(transfer, t);
  if (files && transfer.state !== 'cancelled') parts.push(files);
  const budget = isActive(transfer) ? estimateText(transfer, t, locale) : null;
  if (budget) parts.push(budget);
  if (transfer.state === 'running' && !waiting) {
    parts.push(`${formatSize(transfer.speed, locale)}/s`);
    if (transfer.etaSeconds !== null)
      parts.push(t('transfers.eta', { time: formatDuration(transfer.etaSeconds, locale) }));
  }
  // How a folder came down (issue 9.8): one archive unpacked here, or file by file.
  if (transfer.route !== null)
    parts.push(t(transfer.route === 'archive' ? 'transfers.routeArchive' : 'transfers.routeFiles'));
  if (transfer.resumes > 0) parts.push(t('transfers.resumed', { count: transfer.resumes }));
  if (transfer.state === 'done' && transfer.verified)
    parts.push(t(transfer.verified === 'size+hash' ? 'transfers.verifiedHash' : 'transfers.verifiedSize'));
  return parts.join(' · ');
}

export interface Overall {
  active: number;
  /** 0..1 when every active transfer knows its size, else null. */
  fraction: number | null;
  /** Seconds left for all active transfers, when it can be told. */
  eta: number | null;
}

/** Progress of everything active, for the panel's header; no ETA while one waits to try again. */
export function overallProgress(transfers: Transfer[], now = Date.now()): Overall {
  const active = transfers.filter(isActive);
  if (active.length === 0) return { active: 0, fraction: null, eta: null };
  const known = active.every((x) => x.bytesTotal !== null);
  const total = active.reduce((n, x) => n + (x.bytesTotal ?? 0), 0);
  const done = active.reduce((n, x) => n + x.bytesDone, 0);
  const speed = active.reduce((n, x) => n + x.speed, 0);
  const fraction = known && total > 0 ? Math.min(1, done / total) : null;
  const retrying = active.some((x) => retrySeconds(x, now) !== null);
  const eta = known && speed >= 1 && !retrying ? Math.max(0, total - done) / speed : null;
  return { active: active.length, fraction, eta };
}

/** Newest first. */
export function newestFirst(transfers: Transfer[]): Transfer[] {
  return [...transfers].sort((a, b) => b.createdAt - a.createdAt);
}
