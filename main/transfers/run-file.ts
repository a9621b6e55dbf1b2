/**
 * One file of a run: writing it through the writer while counting its bytes on the transfer, and
 * adopting a file a killed run had already placed. Split out of run.ts (which keeps the walk, the
 * routes and the totals); the run passes its record and hooks.
 */
import { lstat } from 'node:fs/promises';
import { AppFailure } from '../../shared/model/errors';
import type { Transfer } from '../../shared/model/transfers';
import { removePart, writeItem } from '../localfs/file-writer';
import type { WriteOptions } from '../localfs/file-writer';
import { targetOf } from '../localfs/paths';
import { sameTime } from './existing';
import type { FileSlot, Layout } from './layout';
import type { SpeedMeter } from './speed';
import type { DownloadItem } from '../localfs/types';

export interface FileHooks {
  transfer: Transfer;
  signal: AbortSignal;
  meter: SpeedMeter;
  writer: Omit<WriteOptions, 'signal' | 'events' | 'reallocate'>;
  /** Progress changed (throttled by the notifier). */
  changed: () => void;
  /** State changed: notify and persist. */
  stateChanged: () => void;
  /** The file's size became known only now (the item had none). */
  sized: (total: number) => void;
  waiting: (ms: number) => void;
  retrying: (ms: number) => void;
  /** The file is in place and counted: totals may change. */
  finished: () => void;
}

/** Writes one laid-out file and counts it on the transfer; on failure, its bytes are taken back. */
export async function writeSlot(h: FileHooks, layout: Layout, item: DownloadItem, slot: FileSlot): Promise<void> {
  const t = h.transfer;
  if (h.signal.aborted) throw new AppFailure('cancelled', 'Cancelled.');
  if (t.state === 'queued') {
    t.state = 'running';
    h.stateChanged();
  }
  let counted = 0;
  let sizeCounted = item.size !== null;
  const sized = (total: number): void => {
    if (sizeCounted) return;
    sizeCounted = true;
    h.sized(total);
  };
  try {
    const result = await writeItem(item, targetOf(layout.targetDir, slot.abs), {
      ...h.writer,
      signal: h.signal,
      reallocate: (taken) => layout.reallocate(slot, taken),
      events: {
        progress: (delta, fresh) => {
          counted += delta;
          t.bytesDone += delta;
          if (fresh) h.meter.add(delta);
          if (fresh) t.retryingAt = null;
          h.changed();
        },
        size: sized,
        resumed: () => {
          t.resumes += 1;
          h.changed();
        },
        waiting: h.waiting,
        retrying: h.retrying,
      },
    });
    sized(result.bytes);
    layout.markDone(slot, result.path, result.bytes);
    // The weakest check of all files is the transfer's: "size+hash" only if every file had it.
    t.verified = t.verified === 'size' || result.verified === 'size' ? 'size' : 'size+hash';
    if (t.kind !== 'folder' && t.kind !== 'selection' && (t.targetPath === slot.abs || t.targetPath === null)) {
      t.targetPath = result.path;
    }
    t.filesDone += 1;
    h.waiting(0);
    h.finished();
  } catch (error) {
    h.waiting(0);
    t.bytesDone -= counted;
    throw error;
  }
}

/**
 * A kill between placing a file and journaling it as done leaves the file at its journaled name
 * (and maybe its part, hard-linked to it). That name was free when it was allocated, so a regular
 * file there with this item's size (and time, when known) is this item's: adopt it instead of
 * fetching it again and placing a `name (1).ext` twin beside it.
 */
export async function adoptPlaced(layout: Layout, item: DownloadItem, slot: FileSlot): Promise<boolean> {
  if (slot.done || !slot.journaled || item.size === null) return false;
  const info = await lstat(slot.abs).catch(() => null);
  if (!info?.isFile() || info.size !== item.size) return false;
  if (item.modifiedAt !== undefined && Number.isFinite(item.modifiedAt)) {
    if (!sameTime(info.mtimeMs, item.modifiedAt)) return false;
  }
  await removePart(slot.abs);
  layout.markDone(slot, slot.abs, info.size);
  slot.bytes = info.size;
  return true;
}
