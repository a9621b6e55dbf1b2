/**
 * Automatic sync is on by default (every 15 minutes) for a new install; an install that already
 * had pairs and never saved its settings keeps what it had (off, 60 minutes); settings an install
 * saved always win. Through the host's composition (createApp) on a real data folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { createApp } from '../app';
import { confStoreFactory } from '../settings/conf-store';
import { openStore } from '../settings/store';
import { createHostPlatform, parseHostArgs } from './platform';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataFolder(options: { pairs: boolean; settings?: object }): { dir: string; dataDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'host-schedule-'));
  dirs.push(dir);
  const dataDir = join(dir, 'data');
  mkdirSync(join(dataDir, 'sync'), { recursive: true });
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  if (options.pairs) {
    const pair = {
      id: 'p1',
      connectionId: 'c1',
      nodeId: 'conn:c1/kdrive/drive:1/f:2',
      kind: 'kdrive',
      layout: 'tree',
      name: 'Projects',
      localPath: join(dir, 'Projects'),
      ignoreLocalDeletes: false,
      paused: false,
      createdAt: 1,
    };
    writeFileSync(join(dataDir, 'sync', 'pairs.json'), JSON.stringify({ version: 1, pairs: [pair] }));
  }
  if (options.settings) {
    openStore(confStoreFactory, { cwd: dataDir, name: 'settings' }, () => {}).set('settings', options.settings);
  }
  return { dir, dataDir };
}

async function settingsAfterStart(folder: { dir: string; dataDir: string }) {
  const args = parseHostArgs(
    [
      '--data-dir',
      folder.dataDir,
      '--renderer-dir',
      join(folder.dir, 'renderer'),
      '--downloads-dir',
      join(folder.dir, 'dl'),
      '--quiet',
    ],
    {},
  );
  const app = await createApp(createHostPlatform(args), { isTrustedSender: () => true });
  try {
    return app.settings();
  } finally {
    await app.dispose();
  }
}

describe('the automatic sync default and installs from before it', () => {
  it('a new install: on, every 15 minutes', async () => {
    expect(await settingsAfterStart(dataFolder({ pairs: false }))).toMatchObject({
      syncScheduled: true,
      syncEveryMinutes: 15,
    });
  });

  it('an install with pairs that never saved settings keeps running them by hand (off, 60 minutes), also after a restart', async () => {
    const folder = dataFolder({ pairs: true });
    expect(await settingsAfterStart(folder)).toMatchObject({ syncScheduled: false, syncEveryMinutes: 60 });
    expect(await settingsAfterStart(folder)).toMatchObject({ syncScheduled: false, syncEveryMinutes: 60 });
  });

  it('saved settings win: a stored off stays off, a stored on stays on', async () => {
    const off = dataFolder({
      pairs: true,
      settings: { ...DEFAULT_SETTINGS, syncScheduled: false, syncEveryMinutes: 60 },
    });
    expect(await settingsAfterStart(off)).toMatchObject({ syncScheduled: false, syncEveryMinutes: 60 });
    const on = dataFolder({
      pairs: true,
      settings: { ...DEFAULT_SETTINGS, syncScheduled: true, syncEveryMinutes: 30 },
    });
    expect(await settingsAfterStart(on)).toMatchObject({ syncScheduled: true, syncEveryMinutes: 30 });
  });
});
