import type { AppError } from './errors';

export type ServiceId = 'kdrive' | 'calendar' | 'contacts' | 'mail';
export const SERVICE_IDS: readonly ServiceId[] = ['kdrive', 'calendar', 'contacts', 'mail'];

export type ConnectionStatus = 'active' | 'needs_attention';

export interface ServiceAvailability {
  available: boolean;
  /** Why a service is off, in words for the user (e.g. Mail blocked by Infomaniak). */
  reason?: string;
  /** Stable code for the reason (translated by the renderer). */
  reasonCode?: 'mail_blocked' | 'scope_missing' | 'probe_failed';
}

export interface Connection {
  id: string;
  /** Shown in the tree: the user's name from PIM, or the token label. */
  label: string;
  status: ConnectionStatus;
  /** Set when status is needs_attention. */
  problem?: AppError;
  grantedScopes: string[];
  accountIds: number[];
  services: Record<ServiceId, ServiceAvailability>;
  demo: boolean;
  createdAt: number;
  updatedAt: number;
}

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
