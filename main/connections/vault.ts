/**
 * The token vault. A token is encrypted by a TokenCipher (Electron safeStorage, or the browser
 * host's own file cipher) and stored as base64 ciphertext with the backend name and a format
 * version. The plain token exists only in main, in memory, while a client uses it.
 */
import { z } from 'zod';
import { AppFailure, failWith } from '../../shared/model/errors';
import type { ErrorWording } from '../../shared/model/errors';
import type { VaultStatus } from '../../shared/model/connection';
import type { KeyValueStore } from '../settings/store';

export interface TokenCipher {
  /** Backend name, e.g. keychain, dpapi, gnome_libsecret, kwallet5, basic_text, host-file. */
  backend(): Promise<string>;
  /** Whether an OS keyring protects the key. */
  isSafe(): Promise<boolean>;
  /** Whether storing needs the user's explicit consent (basic_text). */
  consentRequired(): Promise<boolean>;
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(cipher: Uint8Array): Promise<string>;
  /** What happened to the key, when it explains why stored tokens cannot be read (host file vault). */
  keyProblem?(): KeyProblem | null;
}

export interface KeyProblem {
  /** True when a damaged key file was moved aside at start (worth a notice before anything fails). */
  setAside: boolean;
  /** A sentence naming the key file, for the log and the English fallback of `vault_locked`. */
  message: string;
  /** The words' reason: the key file was damaged and set aside, or was missing. */
  reason: 'key_set_aside' | 'key_missing';
  /** Where the damaged key file was moved. */
  movedTo?: string;
}

export const VAULT_FORMAT = 1;

const vaultRecordSchema = z.object({
  v: z.number(),
  backend: z.string().max(100),
  ciphertext: z.string().max(1_000_000),
  storedAt: z.number().catch(0),
});
type VaultRecord = z.infer<typeof vaultRecordSchema>;

const KEY = 'vault';

export class Vault {
  #store: KeyValueStore;
  #cipher: TokenCipher;

  constructor(store: KeyValueStore, cipher: TokenCipher) {
    this.#store = store;
    this.#cipher = cipher;
  }

  async status(): Promise<VaultStatus> {
    const [backend, safe, consentRequired] = await Promise.all([
      this.#cipher.backend(),
      this.#cipher.isSafe(),
      this.#cipher.consentRequired(),
    ]);
    return { backend, safe, consentRequired };
  }

  /** Throws `weak_storage` when the backend only obfuscates and the user has not agreed. */
  async assertStorable(allowWeak: boolean): Promise<void> {
    if (!allowWeak && (await this.#cipher.consentRequired())) {
      throw new AppFailure(
        'weak_storage',
        'This computer offers no keyring, so the token would only be obfuscated on disk, not encrypted. Agree to store it anyway, or set up a keyring (e.g. GNOME Keyring or KWallet) and try again.',
      );
    }
  }

  async put(connectionId: string, token: string, allowWeak: boolean): Promise<void> {
    await this.assertStorable(allowWeak);
    const cipher = await this.#cipher.encrypt(token);
    const record: VaultRecord = {
      v: VAULT_FORMAT,
      backend: await this.#cipher.backend(),
      ciphertext: Buffer.from(cipher).toString('base64'),
      storedAt: Date.now(),
    };
    this.#store.set(KEY, { ...this.#records(), [connectionId]: record });
  }

  has(connectionId: string): boolean {
    return Object.hasOwn(this.#records(), connectionId);
  }

  /**
   * The token, or `vault_locked` when it can no longer be read (the backend changed since it was
   * stored, or the ciphertext no longer decrypts). The caller then asks for the token again and keeps
   * everything else of the connection.
   */
  async get(connectionId: string): Promise<string> {
    const record = this.#records()[connectionId];
    if (!record) throw failWith('vault_locked', 'no_token', 'No token is stored for this connection. Enter it again.');
    const backend = await this.#cipher.backend();
    if (record.v !== VAULT_FORMAT || record.backend !== backend) {
      throw failWith(
        'vault_locked',
        'backend_changed',
        `The token was stored with "${record.backend}" and this session uses "${backend}", so it cannot be read. Enter the token again; the connection's settings are kept.`,
      );
    }
    try {
      return await this.#cipher.decrypt(Buffer.from(record.ciphertext, 'base64'));
    } catch {
      const keyProblem = this.#cipher.keyProblem?.();
      throw new AppFailure(
        'vault_locked',
        keyProblem?.message ??
          "The stored token can no longer be decrypted (the keyring changed). Enter the token again; the connection's settings are kept.",
        undefined,
        keyProblem ? keyWording(keyProblem) : undefined,
      );
    }
  }

  delete(connectionId: string): void {
    const records = this.#records();
    if (!Object.hasOwn(records, connectionId)) return;
    delete records[connectionId];
    this.#store.set(KEY, records);
  }

  /** The stored records; one that is not a record (damaged, another shape) is skipped: that connection needs its token again. */
  #records(): Record<string, VaultRecord> {
    const raw = this.#store.get(KEY);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Record<string, VaultRecord> = {};
    for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
      const parsed = vaultRecordSchema.safeParse(value);
      if (parsed.success) out[id] = parsed.data;
    }
    return out;
  }
}

/** The words of a key problem (`vault_locked`): which one, and where the damaged file went. */
export function keyWording(problem: KeyProblem): ErrorWording<'vault_locked'> {
  return { reason: problem.reason, ...(problem.movedTo ? { params: { path: problem.movedTo } } : {}) };
}
