/**
 * Decoders for the kDrive answers beyond the folder tree (issue 24; docs/infomaniak-api.md, "Shared
 * with me", "Versions", "People"), parsed loudly: an answer whose list is not a list is an error
 * (never an empty list, which would read as "nothing shared", "no versions"); a record that does not
 * decode is skipped and counted, so one odd record does not hide the others.
 */
import { z } from 'zod';
import { failWith } from '../../shared/model/errors';
import { fileSchema } from './kdrive-schemas';

const optNum = z.preprocess(
  (v) => (v === null || v === undefined || v === '' ? undefined : v),
  z.coerce.number().optional(),
);
const optStr = z.preprocess((v) => (v === null ? undefined : v), z.string().optional());

/** A user as the API shows one (App User): only what the app shows. */
export const appUserSchema = z
  .object({ id: z.coerce.number().int().positive(), display_name: optStr, email: optStr })
  .loose();
export type AppUser = z.infer<typeof appUserSchema>;

/**
 * An item shared with the user: a file object that must name its drive (its id belongs to that
 * drive) and may say who shared it (`shared_by`: a user id [seen], or a user object).
 */
export const sharedFileSchema = fileSchema.extend({
  drive_id: z.coerce.number().int().positive(),
  shared_by: z.union([z.coerce.number().int().positive(), appUserSchema]).optional().catch(undefined),
});
export type SharedFile = z.infer<typeof sharedFileSchema>;

/** One earlier version of a file [seen: OpenAPI copy "File Version"]. */
export const fileVersionSchema = z
  .object({
    id: z.coerce.number().int().positive(),
    size: optNum,
    created_at: optNum,
    updated_at: optNum,
    last_modified_at: optNum,
    keep_forever: z.boolean().optional().catch(undefined),
    updated_by: appUserSchema.optional().catch(undefined),
  })
  .loose();
export type FileVersionRecord = z.infer<typeof fileVersionSchema>;

export interface StrictList<T> {
  items: T[];
  /** Records that did not decode (skipped). */
  skipped: number;
}

/** `data` must be a list (else an `api_error` naming `what`); its records are decoded one by one. */
export function decodeStrictList<T>(schema: z.ZodType<T>, data: unknown, what: string): StrictList<T> {
  if (!Array.isArray(data)) {
    throw failWith('api_error', 'unknown_shape', `Infomaniak answered ${what} in a form this app does not know.`);
  }
  const items: T[] = [];
  let skipped = 0;
  for (const record of data) {
    const parsed = schema.safeParse(record);
    if (parsed.success) items.push(parsed.data);
    else skipped++;
  }
  return { items, skipped };
}
