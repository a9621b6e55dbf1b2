/**
 * "Shared with me" (issue 24.1; docs/infomaniak-api.md, "Shared with me"): one node under kDrive
 * holding the files and folders other people shared with the user. Its items live in their own
 * drives (often one the user does not browse): an item's node id carries its drive
 * (`…/shared:me/drive:<its drive>/f:<id>`), so its listing, details, versions, previews and
 * downloads go to that drive like any other kDrive node.
 *
 * Where from: the drive-independent `GET /3/drive/files/shared_with_me` (one answer for all
 * drives); where that route is missing or refused, `GET /3/drive/{d}/files/shared_with_me` for each
 * drive the user browses. De-duplicated: an item listed twice (two answers, two pages) is shown
 * once (by drive and id), and an item that is a whole drive the user already browses (its root
 * folder) is not shown again. Who shared an item is shown in Details ("Shared by"): its name from
 * one `GET /2/drive/users?user_ids[]=` for all sharers of the listing, else "User <id>".
 */
import PQueue from 'p-queue';
import { appErrorFrom } from '../errors/app-error';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi } from '../infomaniak/types';
import { childId } from './ids';
import type { DriveUnion } from './kdrive-drives';
import type { DriveFile } from './kdrive-schemas';
import { appUserSchema, decodeStrictList, sharedFileSchema } from './kdrive-extra-schemas';
import type { AppUser, SharedFile } from './kdrive-extra-schemas';

export const SHARED_SEGMENT = 'shared';
/** The folder a download of the whole node is written into. */
export const SHARED_FOLDER_NAME = { en: 'Shared with me', de: 'Mit mir geteilt' } as const;
const PAGE = 1000;
/** Drives asked at once when the drive-independent route is missing. */
const DRIVE_CONCURRENCY = 4;

export function sharedWithMeNode(serviceNodeId: string): SourceNode {
  return {
    id: childId(serviceNodeId, SHARED_SEGMENT, 'me'),
    parentId: serviceNodeId,
    kind: 'shared',
    service: 'kdrive',
    name: 'Shared with me',
    expandable: true,
    downloadable: true,
  };
}

/** Every page of one `shared_with_me` route (cursor pages of 1000). */
async function pages(client: InfomaniakApi, path: string, signal: AbortSignal): Promise<SharedFile[]> {
  const out: SharedFile[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await client.get('api', path, {
      searchParams: { limit: PAGE, cursor: cursor ?? undefined },
      signal,
    });
    out.push(...decodeStrictList(sharedFileSchema, answer.data, 'the files shared with you').items);
    cursor = answer.cursor;
    if (!answer.hasMore || !cursor) break;
  }
  return out;
}

/** A route this server does not have, or will not answer for this token: try the other one. */
function routeRefused(error: unknown): boolean {
  const e = appErrorFrom(error);
  const status = e.details?.status;
  return e.code === 'not_found' || e.code === 'forbidden' || status === 400 || status === 405 || status === 501;
}

/** The items shared with the user, de-duplicated (see the top of this file). */
export async function findShared(client: InfomaniakApi, union: DriveUnion, signal: AbortSignal): Promise<SharedFile[]> {
  let found: SharedFile[];
  try {
    found = await pages(client, '/3/drive/files/shared_with_me', signal);
  } catch (error) {
    if (!routeRefused(error)) throw error;
    found = await perDrive(client, union, signal);
  }
  const browsed = new Set(union.drives.map((d) => d.drive.id));
  const seen = new Map<string, SharedFile>();
  for (const file of found) {
    if (file.id === 1 && browsed.has(file.drive_id)) continue; // a whole drive the user has
    seen.set(`${file.drive_id}:${file.id}`, seen.get(`${file.drive_id}:${file.id}`) ?? file);
  }
  return [...seen.values()];
}

async function perDrive(client: InfomaniakApi, union: DriveUnion, signal: AbortSignal): Promise<SharedFile[]> {
  const queue = new PQueue({ concurrency: DRIVE_CONCURRENCY });
  const results = await Promise.allSettled(
    union.drives.map(({ drive }) =>
      queue.add(() => pages(client, `/3/drive/${drive.id}/files/shared_with_me`, signal)),
    ),
  );
  const ok = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (ok.length === 0 && failed) throw failed.reason;
  return ok.flat();
}

/** Names of the people who shared (one request for all; unknown ones stay unnamed). */
async function sharers(client: InfomaniakApi, files: SharedFile[], signal: AbortSignal): Promise<Map<number, AppUser>> {
  const known = new Map<number, AppUser>();
  const ids = new Set<number>();
  for (const f of files) {
    if (typeof f.shared_by === 'object' && f.shared_by) known.set(f.shared_by.id, f.shared_by);
    else if (typeof f.shared_by === 'number') ids.add(f.shared_by);
  }
  const missing = [...ids].filter((id) => !known.get(id)?.display_name);
  if (missing.length === 0) return known;
  try {
    const answer = await client.get('api', '/2/drive/users', {
      searchParams: { 'user_ids[]': missing.slice(0, 100), per_page: 100 },
      signal,
    });
    for (const user of decodeStrictList(appUserSchema, answer.data, 'the people who shared').items) {
      known.set(user.id, user);
    }
  } catch (error) {
    if (appErrorFrom(error).code === 'cancelled') throw error;
    // Names are a nicety: the ids stay.
  }
  return known;
}

function personText(user: AppUser | undefined, id: number | undefined): string | undefined {
  if (user?.display_name) return user.email ? `${user.display_name} (${user.email})` : user.display_name;
  if (user?.email) return user.email;
  return id === undefined ? undefined : `User ${id}`;
}

/** How a kDrive file becomes a node (kdrive.ts `fileNode`). */
export type ToNode = (
  file: DriveFile,
  parentId: string,
  driveNodeId: string,
  parentPath: string | undefined,
  driveName: string | undefined,
) => SourceNode;

/** The Shared with me node's children: one node per shared item, in its own drive. */
export async function sharedChildren(
  client: InfomaniakApi,
  union: DriveUnion,
  parentId: string,
  signal: AbortSignal,
  fileNode: ToNode,
): Promise<SourceNode[]> {
  const files = await findShared(client, union, signal);
  const people = await sharers(client, files, signal);
  const driveNames = new Map(union.drives.map((d) => [d.drive.id, d.drive.name]));
  const nodes = files.map((file) => {
    const driveNodeId = childId(parentId, 'drive', file.drive_id);
    const node = fileNode(file, parentId, driveNodeId, '/', driveNames.get(file.drive_id) ?? `Drive ${file.drive_id}`);
    const byId = typeof file.shared_by === 'object' ? file.shared_by?.id : file.shared_by;
    const by = personText(byId === undefined ? undefined : people.get(byId), byId);
    if (by) node.details = { ...node.details, sharedBy: by };
    return node;
  });
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return nodes.sort((a, b) =>
    a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'folder' ? -1 : b.kind === 'folder' ? 1 : 0,
  );
}
