/**
 * Downloading something that already exists (issue 13.5). When the name a file would get is taken
 * by a file that was there before (not one this transfer wrote), the transfer asks, once per batch
 * (one `transfers:download`), through `ExistingFiles`: Skip, Keep both (`name (1).ext`) or Replace
 * (the old file goes to the trash first; if that fails, nothing is replaced). "Apply to all" holds
 * for the rest of the batch. A transfer waiting for an answer holds no slot of the file queue and
 * spends no request; cancelling it ends the wait; after a restart it asks again (nothing about the
 * file was journaled yet).
 */
import { randomUUID } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { AppFailure } from '../../shared/model/errors';
import { MAX_OPEN_QUESTIONS } from '../../shared/model/existing';
import type { ExistingAnswer, ExistingChoice, ExistingQuestion } from '../../shared/model/existing';
import type { Transfer } from '../../shared/model/transfers';
import type { FileSlot, Layout } from './layout';

/** The step named in a trash failure: a per-file error (the other files still come). */
export const TRASH_STEP = 'trash';

export interface ExistingFilesDeps {
  /** Moves a file to the trash: the OS trash (Electron), or a `.trash` folder inside `root` (browser host). */
  trash: (path: string, root: string) => Promise<void>;
  /** The open questions changed (one per batch that waits, oldest first). */
  onChange: (questions: ExistingQuestion[]) => void;
  newId?: () => string;
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
  decide(transferId: string, abs: string, signal: AbortSignal): Promise<ExistingChoice> {
    if (this.#all) return Promise.resolve(this.#all);
    if (signal.aborted) return Promise.reject(new AppFailure('cancelled', 'Cancelled.'));
    return new Promise<ExistingChoice>((resolve, reject) => {
      const question = { id: this.#desk.newId(), transferId, name: basename(abs), folder: basename(dirname(abs)) };
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
 * Settles a slot whose name is taken by a file that was there: asks (or uses the answer for all),
 * then skips (counted as done and skipped), keeps both (the slot gets a numbered name) or replaces
 * (the old file to the trash, then the slot keeps the name). Throws AppFailure `io` with step
 * `trash` when the old file could not be moved to the trash: then nothing was replaced.
 */
export async function settleExisting(ctx: SettleContext, slot: FileSlot, size: number | null): Promise<ExistingChoice> {
  const { batch, layout, transfer: t } = ctx;
  const before = slot.abs;
  let choice: ExistingChoice = batch ? await ask(ctx, batch, slot) : 'keep';
  if (choice === 'skip') {
    layout.skip(slot, size ?? 0);
    t.skipped += 1;
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

async function ask(ctx: SettleContext, batch: ExistingBatch, slot: FileSlot): Promise<ExistingChoice> {
  const t = ctx.transfer;
  t.waitingForDecision = true;
  ctx.changed();
  let choice: ExistingChoice;
  try {
    choice = await batch.decide(t.id, slot.abs, ctx.signal);
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
      { step: TRASH_STEP, path: abs },
    );
  }
}
