/** Accounts, tokens and the user of a scenario. */
import { z } from 'zod';
import { int, posInt, TimeSpec } from './spec-values';

export const AccountSpec = z.strictObject({
  id: posInt(),
  name: z.string(),
  type: z.enum(['owner', 'admin', 'normal', 'client', 'partner_admin', 'external']).default('owner'),
  legal_entity_type: z.string().default('individual'),
  created: TimeSpec.optional(),
  /** Makes GET /2/drive?account_id=<this> fail with this status and code. */
  drive_listing_error: z
    .strictObject({ status: int().min(400).max(599), code: z.string(), description: z.string().default('Error') })
    .optional(),
});

export const TokenSpec = z.strictObject({
  value: z.string().min(1),
  label: z.string().optional(),
  scopes: z.array(z.string()),
  revoked: z.boolean().default(false),
  /** Accounts this token reaches (default: every account of the scenario). */
  accounts: z.array(posInt()).optional(),
});

export const UserSpec = z.strictObject({
  id: posInt(),
  display_name: z.string(),
  email: z.string(),
  /** The kSuite account id the PIM responses carry. */
  account_id: posInt().optional(),
});

/** Another person (who shared something, who made a version): `GET /2/drive/users?user_ids[]=`. */
export const PersonSpec = z.strictObject({
  id: posInt(),
  display_name: z.string(),
  email: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
