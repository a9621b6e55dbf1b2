/**
 * Tolerant decoders for the kDrive answers (docs/infomaniak-api.md). A record that does not
 * decode is skipped, never fatal; unknown fields are ignored.
 */
import { z } from 'zod';

const num = z.coerce.number();
const optNum = z.preprocess(
  (v) => (v === null || v === undefined || v === '' ? undefined : v),
  z.coerce.number().optional(),
);
const optStr = z.preprocess((v) => (v === null ? undefined : v), z.string().optional());

/** `/1/accounts` is decoded by the one shared schema. */
export { AccountSchema as accountSchema, type Account } from '../../shared/model/accounts';

export const driveSchema = z
  .object({
    id: num.int().positive(),
    name: z.string(),
    account_id: optNum,
    size: optNum,
    used_size: optNum,
    role: optStr,
    in_maintenance: z.boolean().optional().catch(undefined),
    maintenance_reason: optStr.catch(undefined),
    is_locked: z.boolean().optional().catch(undefined),
    created_at: optNum,
    updated_at: optNum,
    pack: z
      .object({ name: optStr, display_name: optStr, is_free: z.boolean().optional() })
      .loose()
      .optional()
      .catch(undefined),
  })
  .loose();
export type Drive = z.infer<typeof driveSchema>;

export const fileSchema = z
  .object({
    id: num.int().positive(),
    name: z.string(),
    /** `vault`: a locked vault (docs/infomaniak-api.md); an unknown type reads as a file. */
    type: z.enum(['dir', 'file', 'vault']).catch('file'),
    status: optStr.catch(undefined),
    visibility: optStr.catch(undefined),
    parent_id: optNum,
    size: optNum,
    mime_type: optStr.catch(undefined),
    extension_type: optStr.catch(undefined),
    created_at: optNum,
    added_at: optNum,
    last_modified_at: optNum,
    updated_at: optNum,
    path: optStr.catch(undefined),
    hash: optStr.catch(undefined),
  })
  .loose();
export type DriveFile = z.infer<typeof fileSchema>;
