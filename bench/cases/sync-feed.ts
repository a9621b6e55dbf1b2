/**
 * The sync bench's change-feed rows (issue 21.6): the drive-wide `listing/continue` on an unchanged
 * 20,010-file pair against the full relist of the same pair in the same run, and 1,000 actions of
 * which 900 are `file_access` (full listings: none).
 */
import type { Measurement } from '../stats';
import { DRIVE, measured, pair, row, sync } from '../lib/sync-run';
import type { Bench, Pair } from '../lib/sync-run';

/** Runs per side of the unchanged row (alternating with the full relist). */
const FEED_RUNS = 5;

/**
 * The drive-wide continue feed on the unchanged 20k pair (requests and time), run by run against
 * the full relist of the same pair (the app's daily relist: the cursor's start route and the walk);
 * then 1,000 actions of which 900 are `file_access` (on files of the pair) and 100 new files.
 */
export async function driveFeed(b: Bench): Promise<{ pair: Pair; rows: Measurement[] }> {
  b.sim.setFeeds({ listing: true, activities: false });
  const p = pair(b.base, 'drive-wide');
  b.ctx.progress('sync: first sync, drive-wide continue feed on');
  await sync(b.client, p, b.id('/Tree'));
  const feed: Array<Awaited<ReturnType<typeof measured>>> = [];
  const relist: Array<Awaited<ReturnType<typeof measured>>> = [];
  for (let i = 0; i < FEED_RUNS; i++) {
    feed.push(await measured(b.sim, () => sync(b.client, p, b.id('/Tree'))));
    relist.push(await measured(b.sim, () => sync(b.client, p, b.id('/Tree'), 6, true)));
  }
  const viaFeed = feed.filter((r) => r.outcome.via === 'feed').length;
  b.ctx.progress('sync: 1,000 actions, 900 of them file_access');
  const tree = b.id('/Tree');
  // 900 files of the pair (generated ones: their ids come from one page of the recursive listing).
  const page = await b.client.get<Array<{ id: number; type: string }>>('api', `/3/drive/${DRIVE}/files/${tree}/files`, {
    searchParams: { depth: 'unlimited', limit: 1000 },
  });
  const files = page.data.filter((f) => f.type === 'file').slice(0, 900);
  if (files.length < 900) throw new Error(`only ${files.length} files on the first page`);
  for (const file of files) b.sim.mutate(DRIVE, { op: 'note', id: file.id, action: 'file_access' });
  for (let i = 0; i < 100; i++)
    b.sim.mutate(DRIVE, { op: 'add', parentId: tree, name: `new-${i}.txt`, content: { text: `new ${i}` } });
  const noisy = await measured(b.sim, () => sync(b.client, p, tree));
  return {
    pair: p,
    rows: [
      row(
        'unchanged 20,010 files, drive-wide continue: requests',
        'req',
        feed.map((r) => r.requests),
        { subject: 'max', op: '<=', threshold: 2, text: '≤ 2' },
        `${viaFeed}/${FEED_RUNS} runs via the feed; the full relist: ${relist[0]!.requests} requests`,
      ),
      row(
        'unchanged 20,010 files, drive-wide continue: time',
        's',
        feed.map((r) => r.ms / 1000),
        { subject: 'max', op: '<', threshold: 1, text: '< 1 s' },
        'the run in the bench process; the reference relists the same pair (daily relist)',
        { label: 'full relist', runs: relist.map((r) => r.ms / 1000) },
      ),
      row(
        '1,000 actions (900 file_access, 100 new files): full listings',
        'req',
        [noisy.listings],
        { subject: 'max', op: '==', threshold: 0, text: '= 0 (no relist)' },
        `via ${noisy.outcome.via}, ${noisy.requests} requests (${noisy.downloads} downloads), ${noisy.outcome.counts.added} added, ${noisy.ms.toFixed(0)} ms; file_access on 900 different files`,
      ),
    ],
  };
}
