/**
 * The cursor feed desktop-kDrive uses (docs/infomaniak-api.md, "change feed"; with a personal
 * token: unknown). A cursor comes with the start of a listing:
 *   GET /2/drive/{d}/files/listing?directory_id={F}&recursive=true&limit=5 → data.cursor
 * (asked just before each full listing, so a change made during the listing comes again: harmless);
 * later runs ask what changed since:
 *   GET /3/drive/{d}/files/{F}/listing/continue?cursor=&limit=1000
 *     → data.actions[{action, file_id}], data.actions_files[] (objects), top-level cursor, has_more.
 * `invalid_cursor_error` (or anything that cannot be applied exactly) means: list again.
 */
import { z } from 'zod';
import { appErrorFrom } from '../errors/app-error';
import { classify } from '../errors/classify';
import type { InfomaniakApi } from '../infomaniak/types';
import { fileSchema } from '../sources/kdrive-schemas';
import type { DriveFile } from '../sources/kdrive-schemas';
import { applyChange } from './feed-apply';
import type { KdriveTarget } from '../sources/kdrive-subtree';
import type { RemoteEntry } from './types';

/**
 * What a failed feed request says (errors/classify.ts): the feed is refused here (`fallback`: the
 * full listing is the other route) → true; worth asking again later (`retry`) → false; anything
 * else (the token refused, cancelled, a bug, maintenance) is thrown: the run fails.
 */
export function feedRefused(error: unknown): boolean {
  const verdict = classify(error);
  if (verdict.retry) return false;
  if (verdict.fallback) return true;
  throw error;
}

const startSchema = z.object({ cursor: z.string().min(1) }).loose();

const continueSchema = z
  .object({
    actions: z.array(z.object({ action: z.string(), file_id: z.coerce.number() }).loose()),
    actions_files: z.array(fileSchema).default([]),
  })
  .loose();

/** A cursor at "now" for the folder's subtree; null if the feed answered no (`refused`) or not now. */
export async function startCursor(
  client: InfomaniakApi,
  target: KdriveTarget,
  signal: AbortSignal,
): Promise<{ cursor: string } | { refused: boolean }> {
  try {
    const answer = await client.get('api', `/2/drive/${target.driveId}/files/listing`, {
      searchParams: { directory_id: target.folderId, recursive: 'true', limit: 5 },
      signal,
    });
    const parsed = startSchema.safeParse(answer.data);
    return parsed.success ? { cursor: parsed.data.cursor } : { refused: true };
  } catch (error) {
    return { refused: feedRefused(error) };
  }
}

/**
 * The changes since `cursor` applied to `entries` (changed in place); the next cursor, or null
 * when the run must relist (the entries are then not to be used).
 */
export async function applyListingFeed(
  client: InfomaniakApi,
  target: KdriveTarget,
  cursor: string,
  entries: Map<string, RemoteEntry>,
  signal: AbortSignal,
): Promise<string | null> {
  const path = `/3/drive/${target.driveId}/files/${target.folderId}/listing/continue`;
  let at = cursor;
  for (let page = 0; page < 1000; page++) {
    let answer;
    try {
      answer = await client.get('api', path, { searchParams: { cursor: at, limit: 1000 }, signal });
    } catch (error) {
      // A cursor the server no longer knows, or a feed that stopped answering: list again.
      if (appErrorFrom(error).details?.apiCode === 'invalid_cursor_error' || feedRefused(error)) return null;
      throw error;
    }
    const parsed = continueSchema.safeParse(answer.data);
    if (!parsed.success) return null;
    const files = new Map<number, DriveFile>(parsed.data.actions_files.map((f) => [f.id, f]));
    for (const a of parsed.data.actions) {
      if (!applyChange(entries, target.folderId, { action: a.action, id: a.file_id, file: files.get(a.file_id) }))
        return null;
    }
    if (!answer.cursor) return null;
    at = answer.cursor;
    if (!answer.hasMore) return at;
  }
  return null;
}
