/**
 * The long-poll desktop-kDrive sends to its notify host (docs/infomaniak-api.md, "Change feeds"):
 *   GET https://notify.kdrive.infomaniak.com/2/drive/{d}/files/listing/longpoll?cursor=&timeout=50s
 *     → {"changes": true|false}                                                        [seen]
 * The answer has no envelope [seen: the app reads `changes` at the top level]. It comes at once
 * when the drive changed since the cursor, else when a change comes, else after the wait
 * (`timeout`, at most 50 s [guess]; tests shorten it: `setFeeds({longpollWaitMs})`). Whether a
 * personal token is accepted there is unknown: `settings.feeds.longpoll: false` refuses it with
 * 401 `not_authorized` [guess]. A cursor the server no longer knows: `invalid_cursor_error`.
 */
import { errors } from '../core/envelope';
import { sendJson } from '../core/respond';
import type { Router } from '../core/router';
import type { SimState } from '../state';
import { changesOf, feedState } from './activities';
import { driveFor } from './common';
import type { SimCtx } from './common';
import { decode } from './listing-feed';

const MAX_WAIT_MS = 50_000;
const STEP_MS = 20;

function waitFor(ctx: SimCtx): number {
  const raw = /^(\d+)s$/.exec(ctx.query.get('timeout') ?? '');
  const asked = raw ? Number(raw[1]) * 1000 : MAX_WAIT_MS;
  return Math.min(asked, MAX_WAIT_MS, feedState(ctx.sim).settings.longpollWaitMs);
}

async function longPoll(ctx: SimCtx): Promise<void> {
  if (!feedState(ctx.sim).settings.longpoll) {
    ctx.sim.tokens.require(ctx.req, 'drive'); // a missing or bad token is refused the usual way first
    throw errors.notAuthorized();
  }
  const drive = driveFor(ctx);
  const at = decode(ctx.sim, ctx.query.get('cursor'), drive.id, null);
  const log = changesOf(ctx.sim, drive.id).activities;
  const deadline = Date.now() + waitFor(ctx);
  let gone = false;
  ctx.res.once('close', () => (gone = true));
  while (log.length <= at.o && Date.now() < deadline && !gone) {
    await new Promise((resolve) => setTimeout(resolve, STEP_MS));
  }
  if (gone) return;
  sendJson(ctx, 200, { changes: log.length > at.o });
}

export function registerNotifyRoutes(r: Router<SimState>): void {
  r.get('/2/drive/{drive}/files/listing/longpoll', longPoll);
}
