/** The one kDrive download item, as browsing downloads and sync get it. */
import { describe, expect, it, vi } from 'vitest';
import type { InfomaniakApi } from '../infomaniak/types';
import { driveFileItem } from './kdrive-download';
import { kdriveSubtree } from './kdrive-subtree';

function fakeClient(): InfomaniakApi & { download: ReturnType<typeof vi.fn> } {
  return {
    endpoints: { api: 'https://api.example', calendar: '', contacts: '', mail: '' },
    get: vi.fn(),
    post: vi.fn(),
    probe: vi.fn(),
    download: vi.fn(async () => ({}) as never),
  };
}

describe('driveFileItem', () => {
  it('names its origin (the Mark-of-the-Web), size, hash, time and its own slot', async () => {
    const client = fakeClient();
    const item = driveFileItem(
      client,
      7,
      { id: 42, size: 10, hash: 'xxh3:00', modifiedAt: 5000 },
      ['a', 'b.txt'],
      '42',
    );
    expect(item).toMatchObject({
      segments: ['a', 'b.txt'],
      key: '42',
      size: 10,
      hash: 'xxh3:00',
      modifiedAt: 5000,
      origin: 'https://api.example',
    });
    await item.fetch!({ start: 3 });
    expect(client.download).toHaveBeenCalledWith('api', '/2/drive/7/files/42/download', { start: 3 });
  });

  it("sync's items are the same (they had no origin: no Mark-of-the-Web on synced files)", () => {
    const client = fakeClient();
    const item = kdriveSubtree(client, { driveId: 7, folderId: 3 }).itemFor({
      id: '42',
      parent: null,
      name: 'b.txt',
      type: 'file',
      size: 10,
      mtime: 5000,
    });
    expect(item).toMatchObject({ segments: ['b.txt'], size: 10, modifiedAt: 5000, origin: 'https://api.example' });
  });
});
