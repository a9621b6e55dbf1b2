/**
 * A download whose name is taken by a file that was there before (issue 13.5): main asks once per
 * batch (one `transfers:download`) what to do, as Cyberduck does: skip it, keep both (the new one
 * numbered, `name (1).ext`) or replace (the old one goes to the trash first, never overwritten).
 */
import { z } from 'zod';

export const existingChoiceSchema = z.enum(['skip', 'keep', 'replace']);
export type ExistingChoice = z.infer<typeof existingChoiceSchema>;

/** At most this many open questions travel at once (one per batch; more batches wait their turn). */
export const MAX_OPEN_QUESTIONS = 50;

/** Size and modification time (unix ms) of one of the two files, each null when unknown. */
export const fileFactsSchema = z.object({
  size: z.number().min(0).nullable(),
  modifiedAt: z.number().nullable(),
});
export type FileFacts = z.infer<typeof fileFactsSchema>;

export const existingQuestionSchema = z.object({
  id: z.string().min(1).max(512),
  transferId: z.string().min(1).max(512),
  /** The name that is taken, as on disk. */
  name: z.string().max(4096),
  /** The folder it is in, by its name ("Downloads"). */
  folder: z.string().max(4096),
  /** Other taken names of the same batch already waiting behind this one. */
  more: z.number().int().min(0),
  /** The batch is still looking at items: more may follow. */
  open: z.boolean(),
  /** The file that is there, and the one that would be downloaded: shown side by side. */
  existing: fileFactsSchema,
  incoming: fileFactsSchema,
});
export type ExistingQuestion = z.infer<typeof existingQuestionSchema>;

/** The user's answer; with `applyToAll` it holds for the rest of the batch. */
export const existingAnswerSchema = z
  .object({ id: z.string().min(1).max(512), choice: existingChoiceSchema, applyToAll: z.boolean() })
  .strict();
export type ExistingAnswer = z.infer<typeof existingAnswerSchema>;

/** Why a name was changed: unsafe on disk (a hostile or invalid name), or taken (kept both). */
export const renameReasonSchema = z.enum(['unsafe', 'exists']);
export type RenameReason = z.infer<typeof renameReasonSchema>;
