import { z } from 'zod';
import { appErrorSchema } from './error-schema';

export type ServiceId = 'kdrive' | 'calendar' | 'contacts' | 'mail';
export const SERVICE_IDS: readonly ServiceId[] = ['kdrive', 'calendar', 'contacts', 'mail'];

export type ConnectionStatus = 'active' | 'needs_attention';

export const serviceAvailabilitySchema = z.object({
  available: z.boolean(),
  /** Why a service is off, in words for the user (e.g. Mail blocked by Infomaniak). */
  reason: z.string().max(2000).optional(),
  /** Stable code for the reason (translated by the renderer). */
  reasonCode: z.enum(['mail_blocked', 'scope_missing', 'probe_failed']).optional(),
});
export type ServiceAvailability = z.infer<typeof serviceAvailabilitySchema>;

const baseUrl = z.string().min(1).max(2048);
/** The base URLs a connection's token was validated against (`notify`: kDrive's long-poll host, if any). */
export const connectionEndpointsSchema = z.object({
  api: baseUrl,
  calendar: baseUrl,
  contacts: baseUrl,
  mail: baseUrl,
  notify: baseUrl.optional(),
});
export type ConnectionEndpoints = z.infer<typeof connectionEndpointsSchema>;

/** Most accounts one connection keeps (ids and names). */
export const MAX_CONNECTION_ACCOUNTS = 10_000;

/**
 * A connection as stored in `connections.json` and as sent to the renderer (never the token: that
 * lives in the vault). One schema: main parses stored records with it, a damaged record is skipped.
 */
export const connectionSchema = z.object({
  id: z.string().min(1).max(512),
  /** Shown in the tree: the user's name from PIM, or the token label. */
  label: z.string().max(500),
  status: z.enum(['active', 'needs_attention']),
  /** Set when status is needs_attention. */
  // Read back with the connection: a problem of another version's shape is dropped, not the connection.
  problem: appErrorSchema.optional().catch(undefined),
  grantedScopes: z.array(z.string().max(100)).max(50),
  accountIds: z.array(z.number()).max(MAX_CONNECTION_ACCOUNTS),
  /** Account names from /1/accounts, stored when the token was validated (older records lack them). */
  accounts: z
    .array(z.object({ id: z.number(), name: z.string().max(500).optional() }))
    .max(MAX_CONNECTION_ACCOUNTS)
    .optional(),
  services: z.object({
    kdrive: serviceAvailabilitySchema,
    calendar: serviceAvailabilitySchema,
    contacts: serviceAvailabilitySchema,
    mail: serviceAvailabilitySchema,
  }),
  /**
   * Where the token was validated (absent for the demo, whose simulator moves, and for records
   * older than this field). If the app's endpoints differ at start, nothing is sent with the token
   * until the user confirms the new ones.
   */
  endpoints: connectionEndpointsSchema.optional(),
  demo: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Connection = z.infer<typeof connectionSchema>;

/** The validation steps of the seed, plus the mail probe. */
export type ValidationStepId = 'accounts' | 'label' | 'drive' | 'mail';
export const VALIDATION_STEPS: readonly ValidationStepId[] = ['accounts', 'label', 'drive', 'mail'];
export type ValidationStepState = 'pending' | 'running' | 'ok' | 'failed' | 'skipped';

export interface ValidationProgress {
  attemptId: string;
  step: ValidationStepId;
  state: ValidationStepState;
  /** Short human note (e.g. "3 accounts", "Mail not available"). Never the token. */
  note?: string;
}

export interface VaultStatus {
  /** safeStorage backend (keychain, dpapi, gnome_libsecret, kwallet…, basic_text), or `host-file` for the browser host. */
  backend: string;
  /** True when an OS keyring protects the key. False for basic_text and for the host's file vault. */
  safe: boolean;
  /** True when the user must agree before a token is stored (Electron without a keyring: basic_text). */
  consentRequired: boolean;
}
