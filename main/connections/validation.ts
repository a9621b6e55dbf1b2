/**
 * The seed's three deterministic validation steps, run before anything is stored:
 *   1. /1/accounts                      (scope accounts)            → every account id
 *   2. calendar PIM, contacts PIM as fallback (workspace:calendar / workspace:contact) → the label
 *   3. /2/drive?account_id=<first>      (scope drive)               → proves drive
 * plus a Mail probe that only decides whether Mail is shown. Steps 1, 2 and the probe overlap in
 * time; step 3 needs step 1. The error reported is always the first failing step's, except when
 * Infomaniak cannot be reached at all (offline, DNS, refused): then, as soon as one step finds
 * that, the others stop and the check says "Can't reach Infomaniak" (never "the token was refused").
 * The check's client retries once, quickly (`VALIDATION_RETRY`): the user is waiting, and a
 * connection that cannot be made is not made by waiting 3.5 s more.
 */
import { AppFailure } from '../../shared/model/errors';
import type { AppError, ErrorParams, ReasonOf } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import type {
  ServiceAvailability,
  ServiceId,
  ValidationStepId,
  ValidationStepState,
} from '../../shared/model/connection';
import { MAX_CONNECTION_ACCOUNTS } from '../../shared/model/connection';
import { decodeAccounts, type Account } from '../../shared/model/accounts';
import type { InfomaniakApi, ProbeResult } from '../infomaniak/types';
import { MAILBOXES_PATH } from '../sources/mail-routes';

export interface ValidationOutcome {
  label: string;
  accountIds: number[];
  /** Each account with its name from /1/accounts, when it has one (shown in Connections). */
  accounts: Array<{ id: number; name?: string }>;
  grantedScopes: string[];
  services: Record<ServiceId, ServiceAvailability>;
}

export type ProgressFn = (step: ValidationStepId, state: ValidationStepState, note?: string) => void;

/** The retries of the token check's client: one, soon (the default client's are 3, from 500 ms). */
export const VALIDATION_RETRY = { limit: 1, backoffMs: 250 } as const;

/** The step's error when Infomaniak could not be reached, worded as such; null for any other error. */
export function unreachable(step: ValidationStepId, error: unknown): AppFailure | null {
  const e = appErrorFrom(error);
  if (e.code !== 'network') return null;
  return new AppFailure(
    'network',
    `Can't reach Infomaniak: ${e.message} Check the internet connection (and a proxy, if you use one), then try again. The token was not checked.`,
    { ...e.details, step },
    // A proxy's or certificate's own words say more than "not checked".
    e.reason && e.reason !== 'lost'
      ? { reason: e.reason as ReasonOf<'network'>, ...paramsOf(e) }
      : { reason: 'not_checked', ...paramsOf(e) },
  );
}

const SCOPE_WORDS: Record<string, string> = {
  accounts: 'accounts (lists every account your kDrives live on)',
  drive: 'drive (kDrive files)',
  'workspace:calendar': 'workspace:calendar (or workspace:contact)',
};

/** Turn a step's failure into the message the user sees, naming the missing scope in words. */
export function stepFailure(step: ValidationStepId, scope: string, error: unknown): AppFailure {
  const e = appErrorFrom(error);
  if (e.code === 'scope_missing' || (e.code === 'forbidden' && e.details?.apiCode === 'all_scopes')) {
    const words = SCOPE_WORDS[scope] ?? scope;
    return new AppFailure(
      'scope_missing',
      `This token lacks the scope ${words}. Create a new token in the Infomaniak Manager with the scopes accounts, drive, workspace:calendar, workspace:contact and workspace:mail, then paste it here.`,
      { ...e.details, scope, step },
    );
  }
  const offline = unreachable(step, error);
  if (offline) return offline;
  if (e.code === 'token_invalid') {
    return new AppFailure(
      'token_invalid',
      'Infomaniak refused this token: it is mistyped, revoked or expired. Copy it again from the Infomaniak Manager, or create a new one.',
      { ...e.details, step },
    );
  }
  return new AppFailure(
    e.code,
    e.message,
    { ...e.details, step },
    { ...(e.reason ? { reason: e.reason } : {}), ...paramsOf(e) },
  );
}

function paramsOf(e: AppError): { params?: ErrorParams } {
  return e.params ? { params: e.params } : {};
}

function readAccounts(data: unknown): Account[] {
  return decodeAccounts(data).map(({ id, name }) => (name === undefined ? { id } : { id, name }));
}

/** A label from the PIM answer, whatever its exact shape ([guess]: field names unknown). */
function labelFrom(data: unknown): string | null {
  const candidates: unknown[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') candidates.push(value);
  };
  visit(data);
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const d = data as Record<string, unknown>;
    visit(d.calendars);
    visit(d.addressbooks);
  }
  for (const c of candidates) {
    const o = c as Record<string, unknown>;
    for (const key of ['user_display_name', 'display_name', 'owner_name', 'account_name', 'user_name']) {
      if (typeof o[key] === 'string' && (o[key] as string).trim()) return (o[key] as string).trim();
    }
  }
  return null;
}

function isMissingScope(error: unknown): boolean {
  const e = appErrorFrom(error);
  return e.code === 'scope_missing' || e.code === 'token_invalid';
}

type Step<T> = (client: InfomaniakApi, progress: ProgressFn, signal?: AbortSignal) => Promise<T>;
interface LabelResult {
  label: string | null;
  calendar: boolean;
  contacts: boolean;
}

/** Step 1: every account the token reaches. */
const accountsStep: Step<Account[]> = (client, progress, signal) => {
  progress('accounts', 'running');
  return client.get<unknown>('api', '/1/accounts', { signal }).then(
    (page) => {
      const accounts = readAccounts(page.data);
      progress('accounts', 'ok', `${accounts.length}`);
      return accounts;
    },
    (error: unknown) => {
      progress('accounts', 'failed');
      throw stepFailure('accounts', 'accounts', error);
    },
  );
};

/** Step 2: the label, from calendar PIM (API host as fallback), else contacts PIM. */
const labelStep: Step<LabelResult> = (client, progress, signal) => {
  progress('label', 'running');
  const calendarP = client.get<unknown>('calendar', '/api/pim/calendar', { signal }).catch((error: unknown) => {
    // The official calendar tool uses the API host: try it when the seed host is unreachable or unknown.
    if (isMissingScope(error)) throw error;
    return client.get<unknown>('api', '/1/calendar/pim/calendar', { signal });
  });
  const contactsP = client.get<unknown>('contacts', '/api/pim/addressbook', { signal });
  return Promise.allSettled([calendarP, contactsP]).then(([cal, con]) => {
    if (cal.status === 'rejected' && con.status === 'rejected') {
      progress('label', 'failed');
      throw stepFailure('label', 'workspace:calendar', cal.reason);
    }
    const label =
      (cal.status === 'fulfilled' ? labelFrom(cal.value.data) : null) ??
      (con.status === 'fulfilled' ? labelFrom(con.value.data) : null);
    progress('label', 'ok', label ?? undefined);
    return { label, calendar: cal.status === 'fulfilled', contacts: con.status === 'fulfilled' };
  });
};

/** The Mail probe: only decides whether Mail is shown; never fails validation. */
const mailStep: Step<ServiceAvailability> = (client, progress, signal) => {
  progress('mail', 'running');
  // The route of Infomaniak's own mail server for assistants, which takes a personal token.
  return client.probe('mail', MAILBOXES_PATH, { signal }).then(
    (result) => {
      const availability = mailAvailability(result);
      progress(
        'mail',
        availability.available ? 'ok' : 'skipped',
        availability.available ? undefined : availability.reason,
      );
      return availability;
    },
    (error: unknown) => {
      const e = appErrorFrom(error);
      progress('mail', 'skipped', e.message);
      return {
        available: false,
        reason: `Mail could not be checked: ${e.message}`,
        reasonCode: 'probe_failed' as const,
      };
    },
  );
};

/** Step 3: the first account's drives (proves the drive scope). */
async function driveStep(
  client: InfomaniakApi,
  progress: ProgressFn,
  accounts: Account[],
  signal?: AbortSignal,
): Promise<void> {
  progress('drive', 'running');
  const first = accounts[0];
  if (!first) {
    progress('drive', 'failed');
    throw new AppFailure(
      'api_error',
      'This token reaches no Infomaniak account, so there is nothing to show.',
      {
        step: 'drive',
      },
      { reason: 'no_account' },
    );
  }
  try {
    await client.get<unknown>('api', '/2/drive', { searchParams: { account_id: first.id }, signal });
    progress('drive', 'ok');
  } catch (error) {
    progress('drive', 'failed');
    throw stepFailure('drive', 'drive', error);
  }
}

export async function validateToken(
  client: InfomaniakApi,
  progress: ProgressFn,
  signal?: AbortSignal,
): Promise<ValidationOutcome> {
  for (const step of ['accounts', 'label', 'drive', 'mail'] as const) progress(step, 'pending');
  // Stops every step at once when one finds Infomaniak unreachable (or the caller cancels).
  const stop = new AbortController();
  const all = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let offline: AppFailure | null = null;
  const watch = <T>(p: Promise<T>): Promise<T> =>
    p.catch((error: unknown) => {
      if (!offline && error instanceof AppFailure && error.code === 'network') {
        offline = error;
        stop.abort();
      }
      throw error;
    });
  // Step 1, the label step and the mail probe start together; step 3 needs step 1.
  const accountsP = watch(accountsStep(client, progress, all));
  const labelP = watch(labelStep(client, progress, all));
  const mailP = mailStep(client, progress, all);
  const driveP = watch(accountsP.then((accounts) => driveStep(client, progress, accounts, all)));

  // Report the first failing step's error, in the seed's order, whatever finished first; when one
  // step could not reach Infomaniak, the others were stopped (they settle at once), and that.
  const settled = await Promise.allSettled([accountsP, labelP, driveP, mailP]);
  for (const s of settled) if (s.status === 'rejected') throw offline ?? s.reason;
  const accounts = (settled[0] as PromiseFulfilledResult<Account[]>).value;
  const label = (settled[1] as PromiseFulfilledResult<LabelResult>).value;
  const mail = (settled[3] as PromiseFulfilledResult<ServiceAvailability>).value;
  return outcome(accounts, label, mail);
}

function outcome(accounts: Account[], label: LabelResult, mail: ServiceAvailability): ValidationOutcome {
  const grantedScopes = ['accounts', 'drive'];
  if (label.calendar) grantedScopes.push('workspace:calendar');
  if (label.contacts) grantedScopes.push('workspace:contact');
  grantedScopes.push('workspace:mail');
  return {
    label: label.label ?? accounts[0]?.name ?? 'Infomaniak',
    accountIds: accounts.map((a) => a.id),
    accounts: accounts
      .slice(0, MAX_CONNECTION_ACCOUNTS)
      .map((a) => (a.name ? { id: a.id, name: a.name.slice(0, 500) } : { id: a.id })),
    grantedScopes,
    services: {
      kdrive: { available: true },
      calendar: label.calendar
        ? { available: true }
        : { available: false, reason: 'This token lacks the scope workspace:calendar.', reasonCode: 'scope_missing' },
      contacts: label.contacts
        ? { available: true }
        : { available: false, reason: 'This token lacks the scope workspace:contact.', reasonCode: 'scope_missing' },
      mail,
    },
  };
}

export const MAIL_BLOCKED_REASON =
  "Mail is not available for this token: Infomaniak's mail service did not give it the mailboxes. Mail needs a token with the scope workspace:mail.";

/** Mail is shown only for a JSON success that lists mailboxes; anything else says why not. */
export function mailAvailability(result: ProbeResult): ServiceAvailability {
  if (result.kind === 'json' && result.status >= 200 && result.status < 300) {
    const body = result.body as { result?: unknown; data?: unknown } | null;
    const data = body?.data as { mailboxes?: unknown } | null | undefined;
    const listed = Array.isArray(data) || Array.isArray(data?.mailboxes);
    if (body && body.result === 'success' && listed) return { available: true };
  }
  let why: string;
  switch (result.kind) {
    case 'redirect':
      why = `the mail service redirects (HTTP ${result.status}) instead of answering`;
      break;
    case 'http':
      why = `the mail service answered HTTP ${result.status}${result.apiCode ? ` (${result.apiCode})` : ''}`;
      break;
    case 'not_json':
      why = `the mail service answered HTTP ${result.status} without JSON`;
      break;
    default:
      why = `the mail service answered HTTP ${result.status} with JSON that lists no mailboxes`;
  }
  return { available: false, reason: `${MAIL_BLOCKED_REASON} (Checked: ${why}.)`, reasonCode: 'mail_blocked' };
}
