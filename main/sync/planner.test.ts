import { describe, expect, it } from 'vitest';
import { LocalTree } from './local';
import { assignPaths, conflictName, foldFor } from './names';
import { plan } from './planner';
import type { Action, LocalEntry, ManifestEntry, RemoteEntry } from './types';

const T = 1_700_000_000_000;
const linux = foldFor('linux');
const mac = foldFor('darwin');

function file(id: string, name: string, parent: string | null = null, size = 10, mtime = T): RemoteEntry {
  return { id, parent, name, type: 'file', size, mtime };
}
function dir(id: string, name: string, parent: string | null = null): RemoteEntry {
  return { id, parent, name, type: 'dir', size: 0, mtime: T };
}
function remoteOf(...entries: RemoteEntry[]): Map<string, RemoteEntry> {
  return new Map(entries.map((e) => [e.id, e]));
}
/** The manifest and local tree as a completed earlier run leaves them. */
function synced(remote: Map<string, RemoteEntry>, fold = linux) {
  const paths = assignPaths(remote, new Map(), fold);
  const manifest = new Map<string, ManifestEntry>();
  const local: LocalEntry[] = [];
  for (const r of remote.values()) {
    const path = paths.get(r.id)!;
    manifest.set(r.id, {
      id: r.id,
      type: r.type,
      path,
      size: r.size,
      mtime: r.mtime ?? T,
      rsize: r.size,
      rtime: r.mtime,
    });
    local.push({ path, type: r.type, size: r.size, mtime: r.mtime ?? T });
  }
  return { manifest, local };
}
function run(
  remote: Map<string, RemoteEntry>,
  manifest: Map<string, ManifestEntry>,
  local: LocalEntry[],
  opts: { fold?: typeof linux; ignore?: boolean } = {},
): Action[] {
  const fold = opts.fold ?? linux;
  return plan({
    remote,
    manifest,
    local: new LocalTree(fold, local),
    fold,
    ignoreLocalDeletes: opts.ignore ?? false,
    day: '2026-11-29',
  }).actions;
}

describe('planner', () => {
  const base = remoteOf(dir('10', 'Docs'), file('11', 'a.txt', '10'), file('12', 'b.txt', '10'), file('13', 'c.txt'));

  it('first run: folders, then every file downloaded', () => {
    const actions = run(base, new Map(), []);
    expect(actions.map((a) => a.kind)).toEqual(['mkdir', 'download', 'download', 'download']);
    expect(actions.filter((a) => a.kind === 'download').map((a) => ('path' in a ? a.path : ''))).toEqual(
      expect.arrayContaining(['Docs/a.txt', 'Docs/b.txt', 'c.txt']),
    );
  });

  it('nothing changed: nothing to do', () => {
    const { manifest, local } = synced(base);
    expect(run(base, manifest, local)).toEqual([]);
  });

  it('a same-id rename or move is a local move, not a download', () => {
    const { manifest, local } = synced(base);
    const after = remoteOf(
      dir('10', 'Docs'),
      file('11', 'renamed.txt', '10'),
      file('12', 'b.txt'),
      file('13', 'c.txt', '10'),
    );
    const actions = run(after, manifest, local);
    expect(actions).toEqual([
      { kind: 'move', id: '11', from: 'Docs/a.txt', to: 'Docs/renamed.txt' },
      { kind: 'move', id: '12', from: 'Docs/b.txt', to: 'b.txt' },
      { kind: 'move', id: '13', from: 'c.txt', to: 'Docs/c.txt' },
    ]);
  });

  it('a renamed folder is one move', () => {
    const { manifest, local } = synced(base);
    const after = remoteOf(
      dir('10', 'Papers'),
      file('11', 'a.txt', '10'),
      file('12', 'b.txt', '10'),
      file('13', 'c.txt'),
    );
    expect(run(after, manifest, local)).toEqual([{ kind: 'moveDir', id: '10', from: 'Docs', to: 'Papers' }]);
  });

  it('two names swapped: two moves, no conflict', () => {
    const { manifest, local } = synced(base);
    const after = remoteOf(
      dir('10', 'Docs'),
      file('11', 'b.txt', '10'),
      file('12', 'a.txt', '10'),
      file('13', 'c.txt'),
    );
    const kinds = run(after, manifest, local).map((a) => `${a.kind}:${'to' in a ? a.to : ''}`);
    expect(kinds.sort()).toEqual(['move:Docs/a.txt', 'move:Docs/b.txt']);
  });

  it('changed remotely, unchanged locally: update in place', () => {
    const { manifest, local } = synced(base);
    const after = remoteOf(...[...base.values()].map((e) => (e.id === '13' ? { ...e, size: 99 } : e)));
    expect(run(after, manifest, local)).toEqual([{ kind: 'update', id: '13', path: 'c.txt' }]);
    const touched = remoteOf(...[...base.values()].map((e) => (e.id === '13' ? { ...e, mtime: T + 5000 } : e)));
    expect(run(touched, manifest, local)).toEqual([{ kind: 'update', id: '13', path: 'c.txt' }]);
  });

  it('changed on both sides: the local file stays, the remote lands beside it', () => {
    const { manifest, local } = synced(base);
    const edited = local.map((l) => (l.path === 'c.txt' ? { ...l, size: 42 } : l));
    const after = remoteOf(...[...base.values()].map((e) => (e.id === '13' ? { ...e, size: 99 } : e)));
    expect(run(after, manifest, edited)).toEqual([
      { kind: 'conflict', id: '13', path: 'c.txt', to: 'c (kDrive conflict 2026-11-29).txt', tracked: true },
    ]);
  });

  it('changed only locally: left alone', () => {
    const { manifest, local } = synced(base);
    const edited = local.map((l) => (l.path === 'c.txt' ? { ...l, size: 42, mtime: T + 9000 } : l));
    expect(run(base, manifest, edited)).toEqual([]);
  });

  it('deleted remotely: trash when unchanged, keep when changed locally', () => {
    const { manifest, local } = synced(base);
    const after = remoteOf(dir('10', 'Docs'), file('11', 'a.txt', '10'));
    const edited = local.map((l) => (l.path === 'Docs/b.txt' ? { ...l, mtime: T + 9000 } : l));
    expect(run(after, manifest, edited)).toEqual([
      { kind: 'forget', id: '12', path: 'Docs/b.txt', kept: true },
      { kind: 'trash', id: '13', path: 'c.txt' },
    ]);
  });

  it('deleted remotely and locally: only forgotten', () => {
    const { manifest, local } = synced(base);
    const after = remoteOf(dir('10', 'Docs'), file('11', 'a.txt', '10'), file('12', 'b.txt', '10'));
    expect(
      run(
        after,
        manifest,
        local.filter((l) => l.path !== 'c.txt'),
      ),
    ).toEqual([{ kind: 'forget', id: '13', path: 'c.txt', kept: false }]);
  });

  it('a removed folder is removed after its files (only if empty, decided when acting)', () => {
    const { manifest, local } = synced(base);
    const after = remoteOf(file('13', 'c.txt'));
    const actions = run(after, manifest, local);
    expect(actions.map((a) => a.kind)).toEqual(['trash', 'trash', 'rmdir']);
  });

  it('deleted locally: downloaded again, unless deletes are ignored', () => {
    const { manifest, local } = synced(base);
    const without = local.filter((l) => l.path !== 'c.txt');
    expect(run(base, manifest, without)).toEqual([{ kind: 'download', id: '13', path: 'c.txt', reason: 'restore' }]);
    expect(run(base, manifest, without, { ignore: true })).toEqual([]);
  });

  it('a local file equal to the remote one is adopted (a run killed before its manifest line)', () => {
    const { local } = synced(base);
    const actions = run(base, new Map(), local);
    expect(actions.map((a) => a.kind)).toEqual(['mkdir', 'adopt', 'adopt', 'adopt']);
  });

  it('an unknown local file in the way is never replaced: the remote one lands beside it', () => {
    const actions = run(remoteOf(file('13', 'c.txt')), new Map(), [{ path: 'c.txt', type: 'file', size: 3, mtime: T }]);
    expect(actions).toEqual([
      { kind: 'conflict', id: '13', path: 'c.txt', to: 'c (kDrive conflict 2026-11-29).txt', tracked: false },
    ]);
  });

  it('names that fold together on macOS get distinct local names; on Linux they stay', () => {
    const remote = remoteOf(
      file('1', 'Readme.md'),
      file('2', 'README.md'),
      file('3', 'Caf\u00e9.txt'),
      file('4', 'Cafe\u0301.txt'),
    );
    const onMac = [...assignPaths(remote, new Map(), mac).values()].sort();
    expect(onMac).toEqual(['Café (1).txt', 'Café.txt', 'README (1).md', 'Readme.md'].sort());
    const onLinux = [...assignPaths(remote, new Map(), linux).values()];
    expect(onLinux).toContain('README.md');
    expect(onLinux).toContain('Readme.md');
  });

  it('the names given before are kept (stable across runs)', () => {
    const remote = remoteOf(file('1', 'Readme.md'), file('2', 'README.md'));
    const manifest = new Map<string, ManifestEntry>([
      ['2', { id: '2', type: 'file', path: 'README.md', size: 10, mtime: T, rsize: 10, rtime: T }],
      ['1', { id: '1', type: 'file', path: 'Readme (1).md', size: 10, mtime: T, rsize: 10, rtime: T }],
    ]);
    const paths = assignPaths(remote, manifest, mac);
    expect(paths.get('2')).toBe('README.md');
    expect(paths.get('1')).toBe('Readme (1).md');
    const local = [...manifest.values()].map((m) => ({ path: m.path, type: 'file' as const, size: 10, mtime: T }));
    expect(run(remote, manifest, local, { fold: mac })).toEqual([]);
  });

  it('local names differing only in case or normalization are the same file on macOS', () => {
    const remote = remoteOf(file('3', 'Caf\u00e9.txt'));
    const { manifest } = synced(remote, mac);
    const local = [{ path: 'Cafe\u0301.txt', type: 'file' as const, size: 10, mtime: T }];
    expect(run(remote, manifest, local, { fold: mac })).toEqual([]);
    expect(run(remote, manifest, local, { fold: linux })).toEqual([
      { kind: 'download', id: '3', path: 'Café.txt', reason: 'restore' },
    ]);
  });

  it('hostile names become safe names', () => {
    const remote = remoteOf(file('1', '../escape'), file('2', 'CON.txt'), file('3', 'a/b'));
    expect([...assignPaths(remote, new Map(), linux).values()].sort()).toEqual(['.._escape', 'a_b', '_CON.txt'].sort());
  });

  it('generated files (no remote time) are compared by content: the same bytes on disk are adopted, never written', () => {
    const gen = (hash: string): RemoteEntry => ({ ...file('g', 'team.ics', null, 40), mtime: null, hash });
    const { manifest, local } = synced(remoteOf(gen('old')));
    manifest.set('g', { ...manifest.get('g')!, rhash: 'old' });
    // The new version was placed but the run stopped before recording it: its bytes are on disk.
    expect(run(remoteOf(gen('new')), manifest, [{ ...local[0]!, hash: 'new' }])).toEqual([
      { kind: 'adopt', id: 'g', path: 'team.ics' },
    ]);
    expect(run(remoteOf(gen('new')), manifest, [{ ...local[0]!, hash: 'old' }])).toEqual([
      { kind: 'update', id: 'g', path: 'team.ics' },
    ]);
    // No manifest (state lost): the file on disk is this version, or a conflict copy is made beside it.
    expect(run(remoteOf(gen('new')), new Map(), [{ ...local[0]!, hash: 'new' }])).toEqual([
      { kind: 'adopt', id: 'g', path: 'team.ics' },
    ]);
    expect(run(remoteOf(gen('new')), new Map(), [{ ...local[0]!, hash: 'mine' }])[0]).toMatchObject({
      kind: 'conflict',
    });
  });

  it('conflict copies are named with the day', () => {
    expect(conflictName('Plan.pdf', '2026-11-29')).toBe('Plan (kDrive conflict 2026-11-29).pdf');
    expect(conflictName('README', '2026-11-29')).toBe('README (kDrive conflict 2026-11-29)');
  });
});
