/**
 * The browser host's own vault cipher: AES-256-GCM with a random key kept in a file (mode 0600) in
 * the host's data folder. It is plainly marked `host-file` and reported as not keyring-safe: whoever
 * can read the data folder can read the key. The Electron app uses safeStorage instead.
 *
 * A key file that is empty or not a key is never silently replaced: it is moved aside (kept, like a
 * corrupt store), `keyProblem()` says so (a notice at start), and tokens stored with the old key
 * fail with a reason that names the key file.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyProblem, TokenCipher } from './vault';

const KEY_BYTES = 32;

function readKey(keyFile: string): { key: Buffer } | { reason: string } {
  let text: string;
  try {
    text = readFileSync(keyFile, 'utf8').trim();
  } catch (error) {
    return { reason: `it could not be read (${(error as { code?: string }).code ?? String(error)})` };
  }
  if (text === '') return { reason: 'it is empty' };
  const raw = Buffer.from(text, 'base64');
  if (raw.length !== KEY_BYTES || raw.toString('base64') !== text) return { reason: 'it does not hold a key' };
  return { key: raw };
}

export function createHostFileCipher(
  dataDir: string,
  now: () => number = Date.now,
): TokenCipher & { keyProblem(): KeyProblem | null } {
  const keyFile = join(dataDir, 'host-vault.key');
  const redo = `Tokens stored with the old key cannot be decrypted: enter them again with Replace token; the connections' settings are kept.`;
  let key: Buffer | null = null;
  let problem: KeyProblem | null = null;
  const existed = existsSync(keyFile);

  if (existed) {
    const read = readKey(keyFile);
    if ('key' in read) key = read.key;
    else {
      const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
      const movedTo = join(dataDir, `host-vault.corrupt-${stamp}.key`);
      renameSync(keyFile, movedTo);
      problem = {
        setAside: true,
        reason: 'key_set_aside',
        movedTo,
        message: `The host's vault key file ${keyFile} was damaged (${read.reason}); it was set aside as ${movedTo} and a new key was made. ${redo}`,
      };
    }
  }

  const loadKey = (): Buffer => {
    if (key) return key;
    mkdirSync(dataDir, { recursive: true });
    const fresh = randomBytes(KEY_BYTES);
    // `wx`: never overwrite a key file another process wrote meanwhile.
    writeFileSync(keyFile, fresh.toString('base64'), { mode: 0o600, flag: 'wx' });
    return (key = fresh);
  };

  return {
    backend: async () => 'host-file',
    isSafe: async () => false,
    consentRequired: async () => false,
    keyProblem: () =>
      problem ??
      (!existed && key
        ? {
            setAside: false,
            reason: 'key_missing',
            message: `The host's vault key file ${keyFile} was missing at start, so a new key was made. ${redo}`,
          }
        : null),
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
