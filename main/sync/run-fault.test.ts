/**
 * A sync run as a job of the last-resort policy (issue 25.1), with a mocked process: an error
 * nothing caught in the run's work ends that run with `internal` (whatever else it then met), and
 * the pair's next run is not affected.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { installLastResort } from '../last-resort';
import type { FaultProcess } from '../last-resort';
import { QuickSync } from './service';

let root = '';
let uninstall = () => {};
afterEach(async () => {
  uninstall();
  await rm(root, { recursive: true, force: true });
});

it('an uncaught error in a sync run fails that run with internal; the next run is itself again', async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-fault-'));
  const proc = new EventEmitter();
  const lines: string[] = [];
  uninstall = installLastResort(proc as unknown as FaultProcess, { log: (line) => lines.push(line) });
  let calls = 0;
  const sync = new QuickSync({
    dataDir: join(root, 'data'),
    connections: { get: () => ({ label: 'Test' }) },
    sources: {
      subtree: async () => {
        calls += 1;
        // The first run: a callback of its work throws (Node hands it to the policy in this context).
        if (calls === 1)
          await new Promise<void>((resolve) =>
            setImmediate(() => {
              proc.emit('uncaughtException', new TypeError('boom'));
              resolve();
            }),
          );
        throw new AppFailure('network', 'offline in this test');
      },
    },
    lookupNode: () => undefined,
    settings: () => DEFAULT_SETTINGS,
    downloadsDir: () => join(root, 'downloads'),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: () => undefined,
    log: () => undefined,
  });
  await sync.init();
  const pair = await sync.create({ nodeId: 'conn:c/kdrive/drive:1/f:2' });
  const [first] = await sync.runNow([pair.pair.id]);
  expect(first).toMatchObject({ ok: false, error: { code: 'internal' } });
  expect(sync.list()[0]).toMatchObject({ state: 'error', error: { code: 'internal' } });
  expect(lines).toEqual([
    expect.stringMatching(
      new RegExp(`^last resort: uncaught exception in sync pair ${pair.pair.id}, which was failed; `),
    ),
  ]);
  const [second] = await sync.runNow([pair.pair.id]);
  expect(second).toMatchObject({ ok: false, error: { code: 'network' } });
  sync.dispose();
});
