/**
 * Downloading something that already exists (issue 13.5). When the name a file would get is taken
 * by a file that was there before (not one this transfer wrote), the transfer asks, once per batch
 * (one `transfers:download`), through `ExistingFiles`: Skip, Keep both (`name (1).ext`) or Replace
 * (the old file goes to the trash first; if that fails, nothing is replaced). "Apply to all" holds
 * for the rest of the batch. The question shows size and time of both files. A file that is the
 * same as the one to download (`sameFile`: same size and modification time, or the same content
 * hash where it is known) is not asked about: it is skipped and counted as already there. A transfer waiting for an answer holds no slot of the file queue and
 * spends no request; cancelling it ends the wait; after a restart it asks again (nothing about the
 * file was journaled yet).
 */
import { randomUUID } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppFailure } from '../../shared/model/errors';
import { MAX_OPEN_QUESTIONS } from '../../shared/model/existing';
import type { ExistingAnswer, ExistingChoice, ExistingQuestion, FileFacts } from '../../shared/model/existing';
import type { Transfer } from '../../shared/model/transfers';
import type { FileSlot, Layout } from './layout';
import { plainHash, verifyHash } from '../localfs/placement';
import { safeSegment } from '../localfs/safe-name';
import type { DownloadItem } from '../localfs/types';

/** Modification times this close are the same (FAT keeps them to 2 s). */
export const SAME_TIME_MS = 2000;

/** Whether two modification times (unix ms) are the same time, as file systems keep them. */
export function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_TIME_MS;
}

/** What is known of the file to download: its size, time and content hash. */
export type Incoming = Pick<DownloadItem, 'size' | 'modifiedAt' | 'hash'>;

/**
 * Whether the file at `abs` (a regular file, `info` its lstat) is already the one to download:
 * the same size, and the same modification time or, where the server's hash is plain
 * (`plainHash`), the same content. An unknown size is never the same.
 */
export async function sameFile(item: Incoming, abs: string, info: Stats): Promise<boolean> {
  if (!info.isFile() || item.size === null || info.size !== item.size) return false;
  if (item.modifiedAt !== undefined && Number.isFinite(item.modifiedAt) && sameTime(info.mtimeMs, item.modifiedAt))
    return true;
  if (!plainHash(item, item.size)) return false;
  return (await verifyHash(item, abs, item.size).catch(() => 'size')) === 'size+hash';
}

/**
 * Whether the file an item would become is already at its plain path (`targetDir` + its raw names)
 * and the same (`sameFile`), so that nothing needs fetching: the archive route counts only the other
 * files when it chooses (the files route would skip these without a request). False for names the
 * layout would change on disk (it decides those itself).
 */
export async function alreadyThere(
  targetDir: string,
  item: Incoming & Pick<DownloadItem, 'segments'>,
): Promise<boolean> {
  if (item.segments.length === 0 || item.segments.some((segment) => safeSegment(segment).changed)) return false;
  const abs = join(targetDir, ...item.segments);
  const info = await lstat(abs).catch(() => null);
  return info !== null && (await sameFile(item, abs, info));
}

/** Size and time of a file, as the question shows them. */
function facts(size: number | null, modifiedAt: number | undefined | null): FileFacts {
  return {
    size,
    modifiedAt: modifiedAt !== undefined && modifiedAt !== null && Number.isFinite(modifiedAt) ? modifiedAt : null,
  };
}

export interface ExistingFilesDeps {
  /** Moves a file to the trash: the OS trash (Electron), or a `.trash` folder inside `root` (browser host). */
  trash: (path: string, root: string) => Promise<void>;
  /** The open questions changed (one per batch that waits, oldest first). */
  onChange: (questions: ExistingQuestion[]) => void;
  newId?: () => string;
}

/** The two files a question is about. */
export interface ExistingPair {
  existing: FileFacts;
  incoming: FileFacts;
}

interface Pending {
  question: Omit<ExistingQuestion, 'more' | 'open'>;
  resolve: (choice: ExistingChoice) => void;
  reject: (error: unknown) => void;
  off: () => void;
}

/** One batch: its answer for all (once given), and its taken names waiting in order (the first is asked). */
export class ExistingBatch {
  #desk: ExistingFiles;
  #all: ExistingChoice | null = null;
  #pending: Pending[] = [];
  #walking = 0;

  constructor(desk: ExistingFiles) {
    this.#desk = desk;
  }

  /** A run of this batch looks at items: more taken names may come until the returned function is called. */
  walking(): () => void {
    this.#walking += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#walking -= 1;
      if (this.#pending.length > 0) this.#desk.changed();
    };
  }

  /** What to do with `abs` (a file that was there): the answer for all, or the user's. */
  decide(transferId: string, abs: string, pair: ExistingPair, signal: AbortSignal): Promise<ExistingChoice> {
    if (this.#all) return Promise.resolve(this.#all);
    if (signal.aborted) return Promise.reject(new AppFailure('cancelled', 'Cancelled.'));
    return new Promise<ExistingChoice>((resolve, reject) => {
      const id = this.#desk.newId();
      const question = { id, transferId, name: basename(abs), folder: basename(dirname(abs)), ...pair };
      const onAbort = (): void => {
        this.#remove(pending);
        reject(new AppFailure('cancelled', 'Cancelled.'));
      };
      const pending: Pending = { question, resolve, reject, off: () => signal.removeEventListener('abort', onAbort) };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.push(pending);
      this.#desk.ask(this);
    });
  }

  /** Whether a taken name of this transfer still waits for an answer. */
  waits(transferId: string): boolean {
    return this.#pending.some((p) => p.question.transferId === transferId);
  }

  /** The question shown for this batch, or null when none waits. */
  question(): ExistingQuestion | null {
    const [first] = this.#pending;
    if (!first) return null;
    return { ...first.question, more: this.#pending.length - 1, open: this.#walking > 0 };
  }

  /** Answers the batch's current question; false when `id` is not it (answered or cancelled meanwhile). */
  answer({ id, choice, applyToAll }: ExistingAnswer): boolean {
    const [first] = this.#pending;
    if (first?.question.id !== id) return false;
    const answered = applyToAll ? this.#pending.splice(0) : this.#pending.splice(0, 1);
    if (applyToAll) this.#all = choice;
    for (const pending of answered) {
      pending.off();
      pending.resolve(choice);
    }
    return true;
  }

  trash(path: string, root: string): Promise<void> {
    return this.#desk.trash(path, root);
  }

  #remove(pending: Pending): void {
    const index = this.#pending.indexOf(pending);
    if (index < 0) return;
    this.#pending.splice(index, 1);
    pending.off();
    this.#desk.changed();
  }
}

/** All batches' open questions, and the answers to them. Built in the composition root. */
export class ExistingFiles {
  #deps: ExistingFilesDeps;
  /** Batches with a waiting question, oldest first. */
  #asking: ExistingBatch[] = [];

  constructor(deps: ExistingFilesDeps) {
    this.#deps = deps;
  }

  batch(): ExistingBatch {
    return new ExistingBatch(this);
  }

  newId(): string {
    return this.#deps.newId?.() ?? randomUUID();
  }

  /** The open questions: one per batch, oldest batch first, at most MAX_OPEN_QUESTIONS. */
  questions(): ExistingQuestion[] {
    const out: ExistingQuestion[] = [];
    for (const batch of this.#asking) {
      const question = batch.question();
      if (question) out.push(question);
      if (out.length >= MAX_OPEN_QUESTIONS) break;
    }
    return out;
  }

  /** The user's answer, as data: `answered` false when the question is no longer open. */
  answer(answer: ExistingAnswer): { answered: boolean } {
    const batch = this.#asking.find((b) => b.question()?.id === answer.id);
    const answered = batch?.answer(answer) ?? false;
    if (answered) this.changed();
    return { answered };
  }

  trash(path: string, root: string): Promise<void> {
    return this.#deps.trash(path, root);
  }

  /** @internal A batch has a new waiting question. */
  ask(batch: ExistingBatch): void {
    if (!this.#asking.includes(batch)) this.#asking.push(batch);
    this.changed();
  }

  /** @internal Something changed: batches without a question leave the list; the list goes out. */
  changed(): void {
    this.#asking = this.#asking.filter((b) => b.question() !== null);
    this.#deps.onChange(this.questions());
  }
}

/** What a run gives `settleExisting`. */
export interface SettleContext {
  /** Undefined when no one can be asked (tests, tools): both are kept, as before. */
  batch: ExistingBatch | undefined;
  layout: Layout;
  /** The run's record: `waitingForDecision`, `skipped`, `replaced`, the counts of a skipped file. */
  transfer: Transfer;
  /** The transfer's target folder (root of the browser host's `.trash`). */
  targetDir: string;
  signal: AbortSignal;
  /** The record changed (notify and persist). */
  changed: () => void;
}

/**
 * Settles a slot whose name is taken by a file that was there. The same file (`sameFile`) is
 * skipped without a question and counted as already there; else it asks (or uses the answer for
 * all), then skips (counted as done and skipped), keeps both (the slot gets a numbered name) or
 * replaces (the old file to the trash, then the slot keeps the name). Throws AppFailure `io` with
 * reason `trash_failed` when the old file could not be moved to the trash: then nothing was replaced.
 */
export async function settleExisting(ctx: SettleContext, slot: FileSlot, item: Incoming): Promise<ExistingChoice> {
  const { batch, layout, transfer: t } = ctx;
  const before = slot.abs;
  const size = item.size;
  const there = await lstat(slot.abs).catch(() => null);
  const same = there !== null && (await sameFile(item, slot.abs, there));
  const pair = { existing: facts(there?.size ?? null, there?.mtimeMs), incoming: facts(size, item.modifiedAt) };
  let choice: ExistingChoice = same ? 'skip' : batch ? await ask(ctx, batch, slot, pair) : 'keep';
  if (choice === 'skip') {
    layout.skip(slot, size ?? 0, same);
    if (same) t.alreadyThere += 1;
    else t.skipped += 1;
    t.filesDone += 1;
    t.bytesDone += size ?? 0;
    return 'skip';
  }
  // Another item of this transfer with the same name replaced it already: never trash our own file.
  if (choice === 'keep' || !batch || !layout.claimable(slot)) {
    await layout.keepBoth(slot);
    choice = 'keep';
  } else {
    await moveToTrash(batch, slot.abs, ctx.targetDir);
    layout.claim(slot);
    t.replaced += 1;
  }
  if (t.targetPath === before && t.kind !== 'folder' && t.kind !== 'selection') t.targetPath = slot.abs;
  return choice;
}

async function ask(
  ctx: SettleContext,
  batch: ExistingBatch,
  slot: FileSlot,
  pair: ExistingPair,
): Promise<ExistingChoice> {
  const t = ctx.transfer;
  t.waitingForDecision = true;
  ctx.changed();
  let choice: ExistingChoice;
  try {
    choice = await batch.decide(t.id, slot.abs, pair, ctx.signal);
  } finally {
    t.waitingForDecision = batch.waits(t.id);
    ctx.changed();
  }
  if (ctx.signal.aborted) throw new AppFailure('cancelled', 'Cancelled.');
  return choice;
}

async function moveToTrash(batch: ExistingBatch, abs: string, root: string): Promise<void> {
  // Gone meanwhile: nothing to move; the name is free (placement never replaces anything anyway).
  if ((await lstat(abs).catch(() => null)) === null) return;
  try {
    await batch.trash(abs, root);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new AppFailure(
      'io',
      `"${basename(abs)}" was not replaced: it could not be moved to the trash (${why}). The existing file is untouched; download it again and choose Keep both, or move the file away first.`,
      undefined,
      { reason: 'trash_failed', params: { name: basename(abs), path: abs } },
    );
  }
}
