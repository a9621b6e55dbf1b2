/**
 * kDrive discovery (docs/infomaniak-api.md, "Drives"): the union, de-duplicated by drive id, of
 *   - `GET /2/drive/init?with=drives` (when it answers: it also lists drives shared from an
 *     organisation that is not among the token's accounts, and answers a drive-only token), and
 *   - `/1/accounts` → `GET /2/drive?account_id=` for every account, concurrently (bounded).
 * Drives whose `role` is `none` are hidden (Infomaniak's apps do the same). The service node shows
 * the drives grouped by account when several accounts own drives; an account that owns exactly one
 * drive shows that drive directly.
 */
import PQueue from 'p-queue';
import { appErrorFrom } from '../errors/app-error';
import { classify } from '../errors/classify';
import type { AppError } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi } from '../infomaniak/types';
import { childId } from './ids';
import { accountSchema, driveSchema } from './kdrive-schemas';
import type { Account, Drive } from './kdrive-schemas';
import { decodeList } from './pim/schemas';

/** Accounts listed at once: enough that a typical token's accounts go in one round trip. */
export const ACCOUNT_CONCURRENCY = 8;

export interface DriveUnion {
  accounts: Account[];
  drives: Array<{ drive: Drive; accountId: number }>;
  failures: Array<{ account: Account; error: AppError }>;
}

type Listed = { account: Account; drives: Drive[] } | { account: Account; error: AppError };

/**
 * An error that ends the whole union rather than one account's listing (errors/classify.ts): it
 * reaches the job, and neither a retry (the account's Retry node) nor the other route (the
 * accounts path or /2/drive/init) may help — a refused token, a cancel, a bug.
 */
const fatal = (error: unknown): boolean => {
  const verdict = classify(error);
  return verdict.reach === 'job' && !verdict.retry && !verdict.fallback;
};

export async function loadDriveUnion(client: InfomaniakApi, signal: AbortSignal): Promise<DriveUnion> {
  const init = listInitDrives(client, signal).catch((error: unknown) => (fatal(error) ? Promise.reject(error) : null));
  init.catch(() => undefined); // awaited below; never an unhandled rejection if the accounts path throws first
  let accounts: Account[] = [];
  let accountsError: unknown = null;
  try {
    accounts = decodeList(accountSchema, (await client.get('api', '/1/accounts', { signal })).data).items;
  } catch (error) {
    if (fatal(error)) throw error;
    accountsError = error;
  }
  const queue = new PQueue({ concurrency: ACCOUNT_CONCURRENCY });
  const results = await Promise.all(
    accounts.map((account) =>
      queue.add(async (): Promise<Listed> => {
        try {
          return { account, drives: await listDrives(client, account.id, signal) };
        } catch (error) {
          if (fatal(error)) throw error;
          return { account, error: appErrorFrom(error) };
        }
      }),
    ),
  );
  const initDrives = await init;
  if (accountsError !== null && initDrives === null) throw accountsError;
  return merge(accounts, results, initDrives ?? []);
}

function merge(accounts: Account[], results: Array<Listed | void>, initDrives: Drive[]): DriveUnion {
  const seen = new Map<number, { drive: Drive; accountId: number }>();
  const failures: DriveUnion['failures'] = [];
  for (const result of results) {
    if (!result) continue;
    if ('error' in result) {
      failures.push({ account: result.account, error: result.error });
      continue;
    }
    for (const drive of result.drives) {
      const existing = seen.get(drive.id);
      // Same drive through two accounts: keep it once, under the account that owns it when known.
      if (!existing || (drive.account_id === result.account.id && existing.accountId !== result.account.id)) {
        seen.set(drive.id, { drive, accountId: result.account.id });
      }
    }
  }
  for (const drive of initDrives) {
    if (!seen.has(drive.id)) seen.set(drive.id, { drive, accountId: drive.account_id ?? 0 });
  }
  const drives = [...seen.values()].filter((d) => d.drive.role !== 'none');
  return { accounts, drives, failures };
}

async function listInitDrives(client: InfomaniakApi, signal: AbortSignal): Promise<Drive[]> {
  const answer = await client.get<{ drives?: unknown }>('api', '/2/drive/init', {
    searchParams: { with: 'drives' },
    signal,
  });
  return decodeList(driveSchema, answer.data?.drives).items;
}

async function listDrives(client: InfomaniakApi, accountId: number, signal: AbortSignal): Promise<Drive[]> {
  const drives: Drive[] = [];
  for (let page = 1; page <= 100; page++) {
    const answer = await client.get('api', '/2/drive', {
      searchParams: { account_id: accountId, page, per_page: 100 },
      signal,
    });
    drives.push(...decodeList(driveSchema, answer.data).items);
    if (!answer.pages || page >= answer.pages) break;
  }
  return drives;
}

/** The children of the kDrive service node: drives, account groups, and an error node per failed account. */
export function serviceChildren(union: DriveUnion, parentId: string): SourceNode[] {
  const errorNodes: SourceNode[] = union.failures.map(({ account, error }) => ({
    id: childId(parentId, 'err', account.id),
    parentId,
    kind: 'error',
    service: 'kdrive',
    name: account.name ?? `Account ${account.id}`,
    expandable: false,
    downloadable: false,
    state: {
      kind: 'error',
      reason: `The drives of this account could not be listed: ${error.message}`,
      error,
      retryable: true,
    },
    details: { account: accountLabel(account) },
  }));
  const byAccount = new Map<number, DriveUnion['drives']>();
  for (const d of union.drives) byAccount.set(d.accountId, [...(byAccount.get(d.accountId) ?? []), d]);
  const accountOf = (id: number) => union.accounts.find((a) => a.id === id);
  const nodes: SourceNode[] = [];
  for (const [accountId, drives] of byAccount) {
    const account = accountOf(accountId);
    // One owner, an account with a single drive, or no account names at all (a drive-only token):
    // the drives themselves, no level repeating a name.
    if (byAccount.size === 1 || drives.length === 1 || union.accounts.length === 0) {
      nodes.push(...drives.map((d) => driveNode(d.drive, parentId, account)));
      continue;
    }
    nodes.push({
      id: childId(parentId, 'acct', accountId),
      parentId,
      kind: 'account',
      service: 'kdrive',
      name: account?.name ?? `Account ${accountId}`,
      expandable: true,
      downloadable: false,
      childCount: drives.length,
      details: { account: accountLabel(account) || String(accountId) },
    });
  }
  return [...sortByName(nodes), ...errorNodes];
}

/** The drives of one account group. */
export function accountChildren(union: DriveUnion, accountId: number, parentId: string): SourceNode[] {
  const account = union.accounts.find((a) => a.id === accountId);
  const nodes = union.drives.filter((d) => d.accountId === accountId).map((d) => driveNode(d.drive, parentId, account));
  return sortByName(nodes);
}

function accountLabel(account: Account | undefined): string {
  if (!account) return '';
  return account.name ? `${account.name} (${account.id})` : String(account.id);
}

function sortByName(nodes: SourceNode[]): SourceNode[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return nodes.sort((a, b) => collator.compare(a.name, b.name));
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : value * 1000);

function driveNode(drive: Drive, parentId: string, account: Account | undefined): SourceNode {
  const id = childId(parentId.replace(/\/acct:[^/]+$/, ''), 'drive', drive.id);
  const node: SourceNode = {
    id,
    parentId,
    kind: 'drive',
    service: 'kdrive',
    name: drive.name,
    expandable: !drive.in_maintenance,
    downloadable: !drive.in_maintenance,
    details: {
      drive: `${drive.name} (${drive.id})`,
      account: accountLabel(account) || String(drive.account_id ?? ''),
      path: '/',
      ...(drive.used_size !== undefined && drive.size !== undefined
        ? { quota: `${drive.used_size}/${drive.size}` }
        : {}),
      ...(drive.role ? { role: drive.role } : {}),
      ...(drive.pack?.display_name || drive.pack?.name
        ? { pack: String(drive.pack.display_name ?? drive.pack.name) }
        : {}),
    },
  };
  if (drive.size !== undefined) node.size = drive.used_size ?? drive.size;
  const updated = seconds(drive.updated_at);
  if (updated !== undefined) node.modifiedAt = updated;
  if (drive.in_maintenance) {
    node.state = { kind: 'maintenance', reason: drive.maintenance_reason ?? 'This drive is in maintenance.' };
  } else if (drive.is_locked) {
    node.state = {
      kind: 'locked',
      reason: 'This drive is locked (e.g. an unpaid subscription). Its files cannot be opened.',
    };
    node.expandable = false;
    node.downloadable = false;
  }
  return node;
}
