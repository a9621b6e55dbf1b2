/**
 * A download placed from a local copy of the same version instead of fetched again (issue 22.1:
 * a file staged for a drag, then downloaded or saved). The copy goes into the item's own part like
 * fetched bytes would, so the rest is the writer's usual way: size (and plain hash) checked, the
 * Mark-of-the-Web set, placed without replacing anything.
 *
 * The copy is opened without following a link and must be a regular file of the item's size;
 * anything else (gone meanwhile, changed) answers null before a byte is written, and the writer
 * fetches as usual.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { cancelled } from './part-download';
import { PartFile, writePartState } from './part-files';
import type { OpenPart, PartNames, PartState } from './part-files';
import type { DownloadItem, WriterEvents } from './types';

export interface Copied {
  bytes: number;
  knownSize: number;
  resumes: number;
  fetched: number;
  reused: number;
}

async function openCopy(path: string, size: number | null): Promise<FileHandle | null> {
  const input = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => null);
  if (!input) return null;
  const info = await input.stat().catch(() => null);
  if (info?.isFile() && (size === null || info.size === size)) return input;
  await input.close();
  return null;
}

/**
 * Copies `source` into the item's part (created, or our earlier part emptied first). Null when the
 * copy cannot be used; progress is reported as bytes found (`fresh` false: nothing was received).
 */
export async function copyIntoPart(
  source: string,
  item: Pick<DownloadItem, 'size' | 'hash'>,
  paths: PartNames,
  state: PartState | null,
  options: { openPart: OpenPart; signal?: AbortSignal | undefined; events?: WriterEvents | undefined },
): Promise<Copied | null> {
  const input = await openCopy(source, item.size);
  if (!input) return null;
  try {
    const size = (await input.stat()).size;
    if (state === null) {
      const fresh = { v: 1, etag: null, lastModified: null, size, hash: item.hash ?? null, offset: 0 } as const;
      await writePartState(paths, fresh);
    }
    const handle = await options.openPart(paths.part, state === null ? 'wx' : 'r+');
    await handle.truncate(0).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    options.events?.size?.(size);
    const file = new PartFile(handle, 0);
    let bytes = 0;
    try {
      for await (const chunk of input.createReadStream({ autoClose: false })) {
        if (options.signal?.aborted) throw cancelled();
        const piece = chunk as Buffer;
        await file.write(piece);
        bytes += piece.byteLength;
        options.events?.progress?.(piece.byteLength, false);
      }
    } catch (error) {
      await file.close(true).catch(() => undefined);
      throw error;
    }
    await file.close();
    return { bytes, knownSize: size, resumes: 0, fetched: 0, reused: bytes };
  } finally {
    await input.close();
  }
}
