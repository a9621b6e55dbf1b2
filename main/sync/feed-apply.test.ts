/** One drive-wide action at a time (feed-apply.ts): what changes the pair's snapshot, what is ignored, what relists. */
import { describe, expect, it } from 'vitest';
import { applyAction, ignoredAction, settleMovedOut } from './feed-apply';
import type { DriveAction, MoveHalves } from './feed-apply';
import type { RemoteEntry } from './types';

const ROOT = 100;
const T = 1_700_000_000;

function snapshot(): Map<string, RemoteEntry> {
  const e = (id: string, parent: string | null, name: string, type: 'dir' | 'file'): RemoteEntry => ({
    id,
    parent,
    name,
    type,
    size: type === 'file' ? 5 : 0,
    mtime: T * 1000,
  });
  return new Map([
    ['1', e('1', null, 'Docs', 'dir')],
    ['2', e('2', '1', 'a.txt', 'file')],
    ['3', e('3', null, 'b.txt', 'file')],
  ]);
}

const act = (action: string, fields: Partial<DriveAction> = {}): DriveAction => ({
  action,
  file_id: 3,
  parent_id: ROOT,
  path: '/Common documents/Pair/b.txt',
  last_modified_at: T + 60,
  file_type: 'file',
  size: 7,
  ...fields,
});

function apply(actions: DriveAction[], entries = snapshot()) {
  const moves: MoveHalves = new Map();
  const outcomes = actions.map((a) => applyAction(entries, ROOT, a, moves));
  settleMovedOut(entries, moves);
  return { outcomes, entries };
}

describe('drive-wide actions', () => {
  it('ignores what changes no file (opening, shares, links, rights, comments, favourites)', () => {
    for (const action of [
      'file_access',
      'file_share_create',
      'share_link_delete',
      'acl_user_remove',
      'acl_main_users_update',
      'comment_like',
      'file_favorite_create',
      'file_categorize',
      'collaborative_folder_update',
    ]) {
      expect(ignoredAction(action)).toBe(true);
      const { outcomes, entries } = apply([act(action)]);
      expect(outcomes).toEqual(['ignored']);
      expect(entries).toEqual(snapshot());
    }
    expect(apply([act('file_teleport')]).outcomes).toEqual([{ relist: 'unknown action file_teleport' }]);
  });

  it('an update takes size and time from the action; a rename its name from the path', () => {
    const { entries } = apply([
      act('file_update'),
      act('file_rename', { file_id: 2, parent_id: 1, path: '/Common documents/Pair/Docs/z.txt' }),
    ]);
    expect(entries.get('3')).toMatchObject({ name: 'b.txt', size: 7, mtime: (T + 60) * 1000 });
    expect(entries.get('2')).toMatchObject({ name: 'z.txt', parent: '1' });
  });

  it('a move takes its name from destination; into another folder of the drive it leaves the pair', () => {
    const within = apply([act('file_move', { parent_id: 1, destination: '/Common documents/Pair/Docs/b2.txt' })]);
    expect(within.entries.get('3')).toMatchObject({ parent: '1', name: 'b2.txt' });
    const out = apply([act('file_move', { parent_id: 999, destination: '/Common documents/Other/b.txt' })]);
    expect(out.entries.has('3')).toBe(false);
    // A folder leaving takes its contents.
    const dir = apply([act('file_move', { file_id: 1, parent_id: 999, file_type: 'dir', destination: '/Other/Docs' })]);
    expect([...dir.entries.keys()]).toEqual(['3']);
  });

  it('a move reported as two halves (out and in, either order) is a move; an out alone is a removal', () => {
    for (const order of [
      ['file_move_out', 'file_move'],
      ['file_move', 'file_move_out'],
    ]) {
      const { entries } = apply(
        order.map((action) =>
          act(action, { file_id: 1, parent_id: ROOT, file_type: 'dir', destination: '/Common documents/Pair/Papers' }),
        ),
      );
      expect(entries.get('1')).toMatchObject({ name: 'Papers' });
      expect(entries.get('2')).toMatchObject({ parent: '1' });
    }
    const gone = apply([act('file_move_out', { file_id: 1 })]);
    expect([...gone.entries.keys()]).toEqual(['3']);
  });

  it('changes elsewhere in the drive change nothing; what the pair cannot know makes it relist', () => {
    expect(apply([act('file_create', { file_id: 50, parent_id: 999 })]).entries).toEqual(snapshot());
    expect(apply([act('file_move', { file_id: 60, file_type: 'dir' })]).outcomes).toEqual([
      { relist: 'a folder arrived with its contents' },
    ]);
    expect(apply([act('file_restore', { file_id: 61, file_type: 'dir' })]).outcomes[0]).toHaveProperty('relist');
    expect(apply([act('file_create', { file_id: 62, file_type: 'dir' })]).outcomes).toEqual(['applied']);
    expect(apply([act('file_update', { size: undefined })]).outcomes[0]).toHaveProperty('relist');
    expect(apply([act('file_create', { file_id: 63, file_type: 'vault' })]).outcomes[0]).toHaveProperty('relist');
    expect(apply([act('file_trash', { file_id: ROOT })]).outcomes).toEqual([
      { relist: 'the folder of the pair itself was removed' },
    ]);
    expect(apply([act('file_rename', { file_id: ROOT })]).outcomes).toEqual(['applied']);
  });
});
