/**
 * `GET /1/accounts` (docs/infomaniak-api.md, "Accounts"): `data` is a list of accounts with `id`,
 * `name` and `type`. Decoded once here for every caller (token validation, the kDrive union).
 * Tolerant: a record without a usable id is skipped; a name or type of another shape is dropped.
 */
import { z } from 'zod';

const optionalString = z.preprocess((v) => (v === null ? undefined : v), z.string().optional()).catch(undefined);

export const AccountSchema = z
  .object({ id: z.coerce.number().int().positive(), name: optionalString, type: optionalString })
  .loose();
export type Account = z.infer<typeof AccountSchema>;

/** The accounts of a `/1/accounts` answer's `data`, bad records skipped; [] when it is no list. */
export function decodeAccounts(data: unknown): Account[] {
  if (!Array.isArray(data)) return [];
  const accounts: Account[] = [];
  for (const item of data) {
    const parsed = AccountSchema.safeParse(item);
    if (parsed.success) accounts.push(parsed.data);
  }
  return accounts;
}
