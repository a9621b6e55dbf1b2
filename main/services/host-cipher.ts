/**
 * The browser host's own vault cipher: AES-256-GCM with a random key kept in a file (mode 0600) in
 * the host's data folder. It is plainly marked `host-file` and reported as not keyring-safe: whoever
 * can read the data folder can read the key. The Electron app uses safeStorage instead.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenCipher } from './vault';

export function createHostFileCipher(dataDir: string): TokenCipher {
  const keyFile = join(dataDir, 'host-vault.key');
  let key: Buffer | null = null;
  const loadKey = (): Buffer => {
    if (key) return key;
    if (existsSync(keyFile)) {
      const raw = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
      if (raw.length === 32) return (key = raw);
    }
    mkdirSync(dataDir, { recursive: true });
    key = randomBytes(32);
    writeFileSync(keyFile, key.toString('base64'), { mode: 0o600 });
    return key;
  };
  return {
    backend: async () => 'host-file',
    isSafe: async () => false,
    consentRequired: async () => false,
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const buf = Buffer.from(data);
      const decipher = createDecipheriv('aes-256-gcm', loadKey(), buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
