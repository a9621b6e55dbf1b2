/**
 * The cursor feed as desktop-kDrive uses it (docs/infomaniak-api.md, "Change feeds"; with a
 * personal token: unknown). A cursor comes with the start of a listing:
 *   GET /2/drive/{d}/files/listing?directory_id={F}&recursive=true&limit=5 → data.cursor
 * (asked just before each full listing, so a change made during the listing comes again:
 * harmless); later runs ask what changed in the drive since:
 *   GET /2/drive/{d}/files/listing/continue?cursor=&with=files.capabilities&limit=1000
 *     → data {cursor, has_more, actions[]}, each action carrying the file's own fields.
 * The desktop app starts from `POST …/files/listing/full?…&format=safe_csv` (the whole subtree as
 * CSV, the cursor in `X-kDrive-Cursor`); this client keeps the JSON start route above: one small
 * answer the one JSON client decodes loudly, while the full listing stays the recursive JSON walk
 * that browsing, downloads and search share (one listing decoder, not two).
 *
 * Outcomes: the changes applied (the next cursor); `relist` when the feed cannot be applied
 * exactly (`invalid_cursor_error`, a refused feed, a folder that arrives with contents, an
 * unknown action: the full listing is always correct); an answer that does not decode throws
 * (the run fails, nothing changes: never read as "no changes").
 */
import { z } from 'zod';
import { AppFailure } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import { classify } from '../errors/classify';
import type { InfomaniakApi } from '../infomaniak/types';
import type { KdriveTarget } from '../sources/kdrive-subtree';
import { applyAction, driveActionSchema, settleMovedOut } from './feed-apply';
import type { MoveHalves } from './feed-apply';
import type { RemoteEntry } from './types';

/** Actions asked per page (the desktop app's page size). */
export const FEED_PAGE = 1000;
/** Pages read in one run at most (a million actions): beyond that, listing again is cheaper. */
const MAX_PAGES = 1000;

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

/** A feed answer in a shape the app does not know: the run fails and changes nothing (feed.ts forgets the feed). */
export class FeedShapeError extends AppFailure {
  constructor(what: string, issue: string) {
    super(
      'api_error',
      `Infomaniak answered the change feed (${what}) in a form the app does not understand (${issue}). Nothing was changed; the next run lists the folder again.`,
    );
  }
}

/** Where the first problem of a failed decode is, e.g. `actions.3.file_id: expected number`. */
export function issueOf(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'data'}: ${first.message}` : 'shape';
}

const startSchema = z.object({ cursor: z.string().min(1) }).loose();

const pageSchema = z
  .object({ cursor: z.string().min(1), has_more: z.boolean(), actions: z.array(driveActionSchema) })
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

export type FeedResult =
  | { kind: 'applied'; cursor: string; actions: number; ignored: number }
  | { kind: 'relist'; reason: string; refused?: boolean };

/**
 * The drive's changes since `cursor` applied to `entries` (changed in place: not to be used
 * unless `applied`). Only what lies in the pair's folder changes anything.
 */
export async function applyListingFeed(
  client: InfomaniakApi,
  target: KdriveTarget,
  cursor: string,
  entries: Map<string, RemoteEntry>,
  signal: AbortSignal,
): Promise<FeedResult> {
  const path = `/2/drive/${target.driveId}/files/listing/continue`;
  const moves: MoveHalves = new Map();
  let at = cursor;
  let actions = 0;
  let ignored = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    let answer;
    try {
      answer = await client.get('api', path, {
        searchParams: { cursor: at, with: 'files.capabilities', limit: FEED_PAGE },
        signal,
      });
    } catch (error) {
      if (appErrorFrom(error).details?.apiCode === 'invalid_cursor_error')
        return { kind: 'relist', reason: 'the cursor is no longer valid' };
      // A 403 (the desktop app reads it as "access forbidden") or another refusal: list again.
      if (feedRefused(error)) return { kind: 'relist', reason: 'the feed was refused', refused: true };
      throw error;
    }
    const parsed = pageSchema.safeParse(answer.data);
    if (!parsed.success) throw new FeedShapeError('listing/continue', issueOf(parsed.error));
    for (const action of parsed.data.actions) {
      actions++;
      const outcome = applyAction(entries, target.folderId, action, moves);
      if (outcome === 'ignored') ignored++;
      else if (outcome !== 'applied') return { kind: 'relist', reason: outcome.relist };
    }
    at = parsed.data.cursor;
    if (!parsed.data.has_more) {
      settleMovedOut(entries, moves);
      return { kind: 'applied', cursor: at, actions, ignored };
    }
  }
  return { kind: 'relist', reason: 'too many changes' };
}
